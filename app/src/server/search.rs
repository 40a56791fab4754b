//! Full-text search over everything people write: SQLite FTS5 (BM25) or PostgreSQL's text
//! search (`ts_rank_cd` over a GIN-indexed `tsvector`). Documents are written in the
//! transaction that changes what they describe; who may see a result is decided in the query.

use std::collections::HashMap;

use crate::domain::activity::DocKind;
use crate::domain::feed::Link;
use crate::domain::search::{
    highlight, is_stopword, query_terms, snippet, terms, KnowsAbout, MissedSearch, SearchHit,
    SearchKind, SearchResults,
};
use crate::error::AppResult;
use crate::server::infra::db::{now, Backend, Db};
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};

const PAGE: i64 = 20;

/// What was asked for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: String,
    pub kind: String,
    /// A space's address.
    pub space: String,
    /// A person's handle.
    pub author: String,
    pub tag: String,
    /// Only things from the last this many days (0: any time).
    pub days: i64,
    pub offset: i64,
}

/// How many of the newest matches are ranked. Ranking every match of a common word over a
/// million documents costs far more than the 50 ms a search may take (BENCHMARKS.md); people
/// mostly want what is both relevant and recent, so relevance orders the newest matches the
/// reader may see.
pub const WINDOW: i64 = 500;

/// Full-text matching on one backend; its conditions name the query text's place as `{q}`.
struct Matcher {
    /// The query text to bind.
    text: String,
    /// Tables, with the documents as `d`.
    from: &'static str,
    cond: &'static str,
    /// The newest-first key the index walks without sorting.
    newest: &'static str,
    /// The rank (lower is better) as computed inside the candidate query (SQLite's bm25
    /// only exists there), and as read outside it (PostgreSQL ranks only the window).
    inner_rank: &'static str,
    outer_rank: &'static str,
}

/// Matches `words` (all of them; with `any`, one is enough) in documents of `kinds` (any
/// kind when empty).
fn matcher(backend: Backend, words: &[String], any: bool, kinds: &[DocKind]) -> Matcher {
    match backend {
        Backend::Sqlite => {
            let words = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(if any { " OR " } else { " " });
            // The words are looked for in the text columns only; the kind narrows the match
            // inside the index.
            let mut text = format!("{{title body tags}} : ({words})");
            if !kinds.is_empty() {
                let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                text = format!("kind : ({}) AND {text}", kinds.join(" OR "));
            }
            Matcher {
                text,
                from: "search_fts JOIN search_docs d ON d.id = search_fts.rowid",
                cond: "search_fts MATCH {q}",
                newest: "search_fts.rowid",
                inner_rank: "bm25(search_fts, 0.0, 10.0, 1.0, 5.0)",
                outer_rank: "c.score",
            }
        }
        Backend::Postgres => Matcher {
            text: words.join(if any { " | " } else { " & " }),
            from: "search_docs d",
            cond: "d.tsv @@ to_tsquery('english', {q})",
            newest: "d.id",
            inner_rank: "0",
            outer_rank: "-ts_rank_cd(d.tsv, to_tsquery('english', {q}))",
        },
    }
}

/// Where a search's text, its viewer and the time it is asked at are bound.
struct Bound {
    q: String,
    who: Who,
    now: String,
}

impl Matcher {
    /// Binds the query text, the viewer and now, in that order.
    fn bind<'q>(&'q self, args: &mut Args<'q>, viewer: Viewer) -> Bound {
        let q = args.add(self.text.as_str());
        let who = Who::viewer(args, viewer);
        let now = args.add(now());
        Bound { q, who, now }
    }

    /// The newest [`WINDOW`] matching documents of `kinds` the viewer may see that pass
    /// `filters` (on `d`), as `c(doc_id, score)`; the caller joins `search_docs d ON d.id =
    /// c.doc_id` and orders by [`Matcher::outer_rank`].
    fn candidates(&self, at: &Bound, kinds: &[DocKind], filters: &str) -> String {
        let kinds = if kinds.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
            format!("AND d.kind IN ({})", list.join(", "))
        };
        format!(
            "(SELECT d.id AS doc_id, {} AS score FROM {}
              WHERE {} {kinds} AND {} {filters} ORDER BY {} DESC LIMIT {WINDOW}) c",
            self.inner_rank,
            self.from,
            self.cond.replace("{q}", &at.q),
            visible(&at.who, &at.now),
            self.newest
        )
    }

    /// The rank to order the candidates by (lower is better).
    fn outer_rank(&self, at: &Bound) -> String {
        self.outer_rank.replace("{q}", &at.q)
    }
}

/// Who may see document `d`, for `who`, at `now`: everything outside spaces; a space's own
/// entry where the space may be listed; the rest where its content may be read. Written as
/// "not in the spaces hidden from the viewer" (worked out once per query), so the index can
/// walk the newest matches and stop at the window.
fn visible(who: &Who, now: &str) -> String {
    format!(
        "(d.space_id IS NULL
          OR (d.kind = 'space' AND d.space_id NOT IN (SELECT s.id FROM spaces s WHERE NOT {}))
          OR (d.kind <> 'space' AND d.space_id NOT IN (SELECT s.id FROM spaces s WHERE NOT {})))
         AND d.visible_from <= {now}",
        space_listed("s", who),
        space_readable("s", who)
    )
}

type HitRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Searches, logs the search, and returns a page of results the viewer may see.
pub async fn search(db: &Db, viewer: Viewer, q: &Query) -> AppResult<SearchResults> {
    let words = query_terms(&q.q);
    let kind = SearchKind::parse(&q.kind);
    let mut hits = Vec::new();
    let mut knows = Vec::new();
    let mut next = None;
    if !words.is_empty() {
        let kinds = kind.doc_kinds();
        let m = matcher(db.backend, &words, false, kinds);
        let mut args = Args::new();
        let at = m.bind(&mut args, viewer);
        let mut filters = String::new();
        if !q.space.is_empty() {
            let space = args.add(q.space.as_str());
            filters.push_str(&format!(
                " AND d.space_id = (SELECT id FROM spaces WHERE slug = {space})"
            ));
        }
        if !q.author.is_empty() {
            let author = args.add(q.author.trim_start_matches('@'));
            filters.push_str(&format!(
                " AND d.author_id = (SELECT id FROM users WHERE handle = {author})"
            ));
        }
        if !q.tag.is_empty() {
            // Documents carry their tags (answers their question's), space-separated.
            let tag = args.add(format!("% {} %", q.tag.trim().to_lowercase()));
            filters.push_str(&format!(" AND (' ' || d.tags || ' ') LIKE {tag}"));
        }
        if q.days > 0 {
            filters.push_str(&format!(" AND d.created_at >= {}", now() - q.days * 86_400));
        }
        let limit = args.add(PAGE + 1);
        let offset = args.add(q.offset.max(0));
        let sql = format!(
            "SELECT d.kind, d.url, d.title, d.body, d.tags, d.created_at, u.display_name,
                    u.handle, s.name, s.slug
             FROM {} JOIN search_docs d ON d.id = c.doc_id
             LEFT JOIN spaces s ON s.id = d.space_id
             LEFT JOIN users u ON u.id = d.author_id
             ORDER BY {}, d.id DESC LIMIT {limit} OFFSET {offset}",
            m.candidates(&at, kinds, &filters),
            m.outer_rank(&at)
        );
        let query = sqlx::query_as_with::<_, HitRow, _>(&sql, args);
        let mut rows = query.fetch_all(&db.pool).await?;
        if rows.len() as i64 > PAGE {
            rows.truncate(PAGE as usize);
            next = Some(q.offset.max(0) + PAGE);
        }
        hits = rows.into_iter().map(|r| hit(r, &words)).collect::<Vec<_>>();
        if matches!(kind, SearchKind::All | SearchKind::People) && q.offset == 0 {
            knows = who_knows(db, viewer, &words).await?;
        }
    }
    let found = hits.len() as i64 + next.map_or(0, |_| 1);
    // Only real searches are logged, and only their first page.
    let log_id = if q.q.trim().is_empty() || q.offset > 0 {
        0
    } else {
        log(db, viewer, &q.q, kind, found).await?
    };
    Ok(SearchResults {
        hits,
        knows,
        next,
        log_id,
    })
}

fn hit(r: HitRow, words: &[String]) -> SearchHit {
    let (kind, url, title, body, tags, at, name, handle, space, slug) = r;
    let title = if title.is_empty() {
        // Wall posts have no title: their first words stand in.
        crate::domain::feed::excerpt(&body, 80)
    } else {
        title
    };
    SearchHit {
        title: highlight(&title, words),
        snippet: snippet(&body, words, 30),
        author: match (kind.as_str(), name, handle) {
            ("person" | "space", _, _) => None,
            (_, Some(n), Some(h)) => Some(Link {
                text: n,
                href: format!("/u/{h}"),
            }),
            _ => None,
        },
        space: match (kind.as_str(), space, slug) {
            ("space", _, _) => None,
            (_, Some(n), Some(s)) => Some(Link {
                text: n,
                href: format!("/s/{s}"),
            }),
            _ => None,
        },
        tags: tags.split_whitespace().map(str::to_owned).collect(),
        kind,
        url,
        at,
    }
}

/// People whose answers match the query, best first: accepted answers, then votes.
async fn who_knows(db: &Db, viewer: Viewer, words: &[String]) -> AppResult<Vec<KnowsAbout>> {
    let m = matcher(db.backend, words, false, &[DocKind::Answer]);
    let mut args = Args::new();
    let at = m.bind(&mut args, viewer);
    let sql = format!(
        "SELECT u.display_name, u.handle, r.score,
                CASE WHEN t.accepted_reply_id = r.id THEN 1 ELSE 0 END
         FROM {} JOIN search_docs d ON d.id = c.doc_id
         JOIN replies r ON r.id = d.ref_id JOIN topics t ON t.id = r.topic_id
         JOIN users u ON u.id = r.author_id
         ORDER BY {} LIMIT 200",
        m.candidates(&at, &[DocKind::Answer], ""),
        m.outer_rank(&at)
    );
    let rows: Vec<(String, Option<String>, i64, i64)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    let mut by: HashMap<String, KnowsAbout> = HashMap::new();
    for (name, handle, score, accepted) in rows {
        let Some(handle) = handle else { continue };
        let k = by.entry(handle.clone()).or_insert_with(|| KnowsAbout {
            person: Link {
                text: name,
                href: format!("/u/{handle}"),
            },
            answers: 0,
            accepted: 0,
            score: 0,
        });
        k.answers += 1;
        k.accepted += accepted;
        k.score += score;
    }
    let mut out: Vec<KnowsAbout> = by.into_values().filter(|k| k.score >= 0).collect();
    out.sort_by(|a, b| {
        (b.accepted, b.score, b.answers, &a.person.text).cmp(&(
            a.accepted,
            a.score,
            a.answers,
            &b.person.text,
        ))
    });
    out.truncate(5);
    Ok(out)
}

/// Questions like `title` (any of its telling words), best first, with their accepted answers.
pub async fn similar_questions(
    db: &Db,
    viewer: Viewer,
    title: &str,
) -> AppResult<Vec<(i64, String, i64, Option<String>)>> {
    let words: Vec<String> = terms(title)
        .into_iter()
        .filter(|w| !is_stopword(w) && w.chars().count() > 1)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let m = matcher(db.backend, &words, true, &[DocKind::Question]);
    let mut args = Args::new();
    let at = m.bind(&mut args, viewer);
    let sql = format!(
        "SELECT t.id, t.title, t.reply_count, a.body_md
         FROM {} JOIN search_docs d ON d.id = c.doc_id
         JOIN topics t ON t.id = d.ref_id
         LEFT JOIN replies a ON a.id = t.accepted_reply_id
         ORDER BY {}, d.id DESC LIMIT 5",
        m.candidates(&at, &[DocKind::Question], ""),
        m.outer_rank(&at)
    );
    let rows: Vec<(i64, String, i64, Option<String>)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows)
}

async fn log(db: &Db, viewer: Viewer, term: &str, kind: SearchKind, found: i64) -> AppResult<i64> {
    let term: String = term.trim().chars().take(200).collect();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO search_log (user_id, term, kind, results, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(viewer.id)
    .bind(term)
    .bind(kind.as_str())
    .bind(found)
    .bind(now())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Notes that the viewer opened `url` from search `log_id` (their own searches only).
pub async fn opened(db: &Db, viewer: Viewer, log_id: i64, url: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE search_log SET opened_url = $1 WHERE id = $2 AND user_id = $3
         AND opened_url IS NULL",
    )
    .bind(url)
    .bind(log_id)
    .bind(viewer.id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The searches that found nothing, most frequent first (site admins).
pub async fn missed(db: &Db) -> AppResult<Vec<MissedSearch>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT LOWER(term), COUNT(*), MAX(created_at) FROM search_log
         WHERE results = 0 AND term <> '' GROUP BY LOWER(term)
         ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT 50",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(term, times, last_at)| MissedSearch {
            term,
            times,
            last_at,
        })
        .collect())
}
