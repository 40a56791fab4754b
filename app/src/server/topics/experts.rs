//! Experts and reputation: who is routed a question, each expert's queue, similar questions,
//! the Ask-the-Expert page of a topic, and appointing experts.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::domain::discussion::{
    ExpertForum, ExpertView, SimilarQuestion, TopicKind, TopicList, POINTS_ACCEPTED,
    POINTS_DOWNVOTE, POINTS_UPVOTE,
};
use crate::domain::feed::excerpt;
use crate::domain::ids::{SpaceId, TopicId, UserId};
use crate::domain::profile::Tags;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::db::{now, Db};
use crate::server::infra::sql::placeholders;
use crate::server::infra::sql::Args;
use crate::server::policy::Who;
use crate::server::policy::{space_listed, Viewer};
use crate::server::topics::list::{list, summaries, summary_select, ListQuery, SummaryRow};
use crate::server::topics::person_link;
use crate::server::{profiles, search};

/// The experts of any of `tags` (declared on their profiles, or appointed in `space`) who may
/// read `space`; at most 100.
pub(super) async fn experts_for(
    conn: &mut AnyConnection,
    tags: &[String],
    space: Option<SpaceId>,
) -> AppResult<Vec<UserId>> {
    if tags.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let space = args.add(space.map_or(0, i64::from));
    let list = args.list(tags.iter().map(String::as_str));
    let sql = format!(
        "SELECT DISTINCT e.user_id FROM (
             SELECT user_id, tag FROM user_tags WHERE kind = 'expertise'
             UNION SELECT user_id, tag FROM appointed_experts WHERE space_id = {space}
         ) e
         WHERE e.tag IN ({list}) AND ({space} = 0 OR EXISTS (SELECT 1 FROM spaces sp WHERE sp.id = {space}
             AND (sp.visibility = 'public' OR EXISTS (SELECT 1 FROM space_members vm
                  WHERE vm.space_id = sp.id AND vm.user_id = e.user_id))))
         ORDER BY e.user_id LIMIT 100"
    );
    let rows: Vec<(UserId,)> = sqlx::query_as_with(&sql, args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Reputation of each of `people`: points for accepted answers and votes on their answers.
pub async fn reputation_of(db: &Db, people: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    if people.is_empty() {
        return Ok(out);
    }
    let list = placeholders(1, people.len());
    let votes = format!(
        "SELECT r.author_id, SUM(CASE WHEN v.value > 0 THEN {POINTS_UPVOTE} ELSE {POINTS_DOWNVOTE} END)
         FROM votes v JOIN replies r ON r.id = v.reply_id
         WHERE r.author_id IN ({list}) GROUP BY r.author_id"
    );
    let accepted = format!(
        "SELECT r.author_id, COUNT(*) * {POINTS_ACCEPTED}
         FROM topics t JOIN replies r ON r.id = t.accepted_reply_id
         WHERE r.author_id IN ({list}) AND r.author_id <> t.author_id GROUP BY r.author_id"
    );
    for sql in [votes, accepted] {
        let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
        for p in people {
            q = q.bind(*p);
        }
        for (who, points) in q.fetch_all(&db.pool).await? {
            *out.entry(who).or_insert(0) += points;
        }
    }
    Ok(out)
}

/// One person's reputation.
pub async fn reputation(db: &Db, person: UserId) -> AppResult<i64> {
    Ok(reputation_of(db, &[person.0])
        .await?
        .get(&person.0)
        .copied()
        .unwrap_or(0))
}

/// Which of `people` are experts of any of `tags`.
pub(super) async fn experts_among(
    db: &Db,
    people: &[i64],
    tags: &[String],
    space: Option<SpaceId>,
) -> AppResult<Vec<i64>> {
    if people.is_empty() || tags.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let space = args.add(space.map_or(0, i64::from));
    let people = args.list(people.iter().copied());
    let tags = args.list(tags.iter().map(String::as_str));
    let sql = format!(
        "SELECT DISTINCT user_id FROM (
             SELECT user_id, tag FROM user_tags WHERE kind = 'expertise'
             UNION SELECT user_id, tag FROM appointed_experts WHERE space_id = {space}) e
         WHERE e.user_id IN ({people}) AND e.tag IN ({tags})"
    );
    let rows: Vec<(i64,)> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The viewer's queue: unanswered questions in their expertise topics (declared, or appointed
/// in the question's space), oldest first.
pub async fn queue(db: &Db, viewer: Viewer) -> AppResult<TopicList> {
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let me = &who.id;
    let limit = args.add(100_i64);
    let sql = format!(
        "{} AND t.kind = 'question' AND t.reply_count = 0 AND t.author_id <> {me}
           AND EXISTS (SELECT 1 FROM tags tg WHERE tg.target_kind = 'topic' AND tg.target_id = t.id
               AND (tg.tag IN (SELECT ut.tag FROM user_tags ut WHERE ut.user_id = {me}
                                 AND ut.kind = 'expertise')
                    OR tg.tag IN (SELECT ae.tag FROM appointed_experts ae WHERE ae.user_id = {me}
                                    AND ae.space_id = t.space_id)))
         ORDER BY t.id ASC LIMIT {limit}",
        summary_select(&who, false)
    );
    let rows: Vec<SummaryRow> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(TopicList {
        items: summaries(db, rows).await?,
        next: None,
    })
}

/// Questions like the title being typed, with their accepted answers.
pub async fn similar(db: &Db, viewer: Viewer, title: &str) -> AppResult<Vec<SimilarQuestion>> {
    Ok(search::similar_questions(db, viewer, title)
        .await?
        .into_iter()
        .map(|(id, title, answers, accepted)| SimilarQuestion {
            id: TopicId(id),
            title,
            answers,
            accepted: accepted.map(|a| excerpt(&a, 200)),
        })
        .collect())
}

/// An Ask-the-Expert forum: the experts of `tag` and its questions.
pub async fn expert_forum(
    db: &Db,
    viewer: Viewer,
    tag: &str,
    after: &str,
) -> AppResult<ExpertForum> {
    let tag = tag.trim().to_lowercase();
    let mut args = Args::new();
    let tag_at = args.add(&tag);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT u.id, u.display_name, u.handle, MAX(e.appointed) FROM (
             SELECT user_id, 0 AS appointed FROM user_tags WHERE kind = 'expertise' AND tag = {tag_at}
             UNION SELECT ae.user_id, 1 FROM appointed_experts ae JOIN spaces s ON s.id = ae.space_id
                 WHERE ae.tag = {tag_at} AND {}) e
         JOIN users u ON u.id = e.user_id
         GROUP BY u.id, u.display_name, u.handle ORDER BY u.display_name LIMIT 50",
        space_listed("s", &who)
    );
    let rows: Vec<(i64, String, Option<String>, i64)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let reputation = reputation_of(db, &ids).await?;
    let mut experts: Vec<ExpertView> = rows
        .into_iter()
        .map(|(id, name, handle, appointed)| ExpertView {
            reputation: reputation.get(&id).copied().unwrap_or(0),
            person: person_link(name, handle, id),
            appointed: appointed == 1,
        })
        .collect();
    experts.sort_by_key(|e| std::cmp::Reverse(e.reputation));
    let questions = list(
        db,
        viewer,
        &ListQuery {
            kind: Some(TopicKind::Question),
            space: None,
            tag: tag.clone(),
            after: after.to_owned(),
            ..Default::default()
        },
    )
    .await?;
    Ok(ExpertForum {
        tag,
        experts,
        questions,
    })
}

/// Appoints (or, with `on` false, removes) an expert for a topic in a space the viewer
/// moderates.
pub async fn appoint(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    tag: &str,
    handle: &str,
    on: bool,
) -> AppResult<()> {
    let space = crate::server::spaces::require_space_moderator(db, viewer, slug).await?;
    let tag = Tags::parse(tag)
        .ok()
        .and_then(|t| t.into_iter().next())
        .ok_or_else(|| {
            AppError::Validation(FormErrors::single("tag", "Give one topic.".to_owned()))
        })?;
    let user = profiles::id_of(db, handle.trim().trim_start_matches('@'))
        .await
        .map_err(|_| {
            AppError::Validation(
                FormErrors::single(
                    "handle",
                    format!("There is nobody with the handle {handle}."),
                )
                .keep("handle", handle),
            )
        })?;
    sqlx::query("DELETE FROM appointed_experts WHERE space_id = $1 AND tag = $2 AND user_id = $3")
        .bind(space)
        .bind(&tag)
        .bind(user)
        .execute(&db.pool)
        .await?;
    if on {
        sqlx::query(
            "INSERT INTO appointed_experts (space_id, tag, user_id, appointed_by, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(space)
        .bind(&tag)
        .bind(user)
        .bind(viewer.id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
