//! The seeded walls: posts, then comments on recent posts and reactions, in time order, so that
//! activity ids follow time as they do on a live site.

use std::collections::HashSet;

use crate::seed::rows::{lit, move_sequences_on, opt, Rows};
use crate::seed::state::Org;
use crate::seed::words::{CLOSERS, IDEAS, OPENERS};
use app::error::AppResult;
use app::server::infra::db::{Backend, Tx};
use app::server::infra::markdown;

const KINDS_OF_REACTION: &[&str] = &["like", "celebrate", "insightful", "support", "curious"];

/// The rows of the walls as they are written, and the recent posts comments go under.
pub(crate) struct Walls {
    posts: Rows,
    comments: Rows,
    reactions: Rows,
    docs: Rows,
    /// (post id, space index, wall owner) of recent posts.
    recent: Vec<(i64, Option<usize>, Option<i64>)>,
    post_id: i64,
    comment_id: i64,
}

impl Walls {
    pub(crate) fn new(backend: Backend) -> Walls {
        Walls {
            posts: Rows::new(
                backend,
                "posts",
                "id, author_id, space_id, profile_id, body_md, body_html, created_at",
                true,
            ),
            comments: Rows::new(
                backend,
                "comments",
                "id, post_id, author_id, body_md, body_html, created_at",
                true,
            ),
            reactions: Rows::new(
                backend,
                "reactions",
                "post_id, user_id, kind, created_at",
                false,
            ),
            docs: Rows::new(
                backend,
                "search_docs",
                "kind, ref_id, space_id, author_id, url, title, body, created_at",
                false,
            ),
            recent: Vec::new(),
            post_id: 0,
            comment_id: 0,
        }
    }

    /// Writes the organisation's posts and comments from `from` to its end, one after the
    /// other, each a post or a comment as many of each as are left allow.
    pub(crate) async fn write(
        mut self,
        org: &mut Org<'_>,
        tx: &mut Tx,
        from: i64,
    ) -> AppResult<()> {
        // Each person's spaces, in a fixed order (a set's order would differ from run to run).
        let member_of: Vec<Vec<i64>> = org
            .joined
            .iter()
            .map(|set| {
                let mut v: Vec<i64> = set.iter().copied().collect();
                v.sort_unstable();
                v
            })
            .collect();
        let steps = org.scale.posts + org.scale.comments;
        for step in 0..steps {
            let at = from + (org.end - from) * step / steps.max(1);
            let posts_left = org.scale.posts - self.post_id;
            let comments_left = org.scale.comments - self.comment_id;
            let is_post =
                self.recent.is_empty() || org.rng.below(posts_left + comments_left) < posts_left;
            if is_post && posts_left > 0 {
                self.post(org, &member_of, at);
            } else if comments_left > 0 {
                self.comment(org, at);
            }
            let full = [
                &self.posts,
                &self.comments,
                &self.reactions,
                &org.activities,
            ]
            .iter()
            .any(|rows| rows.full());
            if full {
                self.flush(org, tx).await?;
            }
        }
        self.flush(org, tx).await?;
        org.out.posts = self.posts.written;
        org.out.comments = self.comments.written;
        org.out.reactions = self.reactions.written;
        if org.backend == Backend::Postgres {
            move_sequences_on(tx, &["posts", "comments"]).await?;
        }
        Ok(())
    }

    /// A post by someone, mostly in one of their spaces, else on a wall, with its reactions.
    fn post(&mut self, org: &mut Org<'_>, member_of: &[Vec<i64>], at: i64) {
        self.post_id += 1;
        let post_id = self.post_id;
        let rng = &mut org.rng;
        let author = 1 + rng.below(org.scale.users);
        let mine = &member_of[author as usize];
        let (space, profile) = if !mine.is_empty() && rng.chance(85) {
            (Some(*rng.pick(mine)), None)
        } else if !org.following[author as usize].is_empty() && rng.chance(30) {
            (None, Some(*rng.pick(&org.following[author as usize])))
        } else {
            (None, Some(author))
        };
        let body = format!(
            "{} {}. {}",
            rng.pick(OPENERS),
            rng.pick(IDEAS),
            rng.pick(CLOSERS)
        )
        .trim()
        .to_owned();
        self.posts.push(format!(
            "{post_id}, {author}, {}, {}, {}, {}, {at}",
            opt(space),
            opt(profile),
            lit(&body),
            lit(&markdown::render(&body)),
        ));
        let url = match (space, profile) {
            (Some(s), _) => format!("/s/{}#post-{post_id}", org.spaces[s as usize - 1].slug),
            (None, Some(p)) => format!("/u/{}#post-{post_id}", org.handles[p as usize - 1]),
            (None, None) => "/".to_owned(),
        };
        self.docs.push(format!(
            "'post', {post_id}, {}, {author}, {}, '', {}, {at}",
            opt(space),
            lit(&url),
            lit(&body)
        ));
        org.activities.push(format!(
            "{author}, 'posted', 'post', {post_id}, {}, {}, {at}",
            opt(space),
            opt(profile)
        ));
        let space_index = space.map(|s| s as usize - 1);
        // Reactions from people who may see the post.
        let n = rng.below(org.scale.reactions + 1);
        let mut seen = HashSet::new();
        for _ in 0..n {
            let who = match space_index {
                Some(i) => *rng.pick(&org.spaces[i].members),
                None => 1 + rng.below(org.scale.users),
            };
            let kind = *rng.pick(KINDS_OF_REACTION);
            if seen.insert((who, kind)) {
                self.reactions
                    .push(format!("{post_id}, {who}, '{kind}', {at}"));
                org.activities.push(format!(
                    "{who}, 'reacted', 'post', {post_id}, {}, {}, {at}",
                    opt(space),
                    opt(profile)
                ));
            }
        }
        self.recent.push((post_id, space_index, profile));
        if self.recent.len() > 2_000 {
            self.recent.drain(..1_000);
        }
    }

    /// A comment on a recent post (newer posts get more of them) by someone who may read it.
    fn comment(&mut self, org: &mut Org<'_>, at: i64) {
        self.comment_id += 1;
        let comment_id = self.comment_id;
        let rng = &mut org.rng;
        let newest = 1 + rng.below(self.recent.len() as i64);
        let back = rng.below(newest);
        let (post, space_index, wall) = self.recent[self.recent.len() - 1 - back as usize];
        let author = match space_index {
            Some(i) => *rng.pick(&org.spaces[i].members),
            None => 1 + rng.below(org.scale.users),
        };
        let body = format!("Agreed: {}.", rng.pick(IDEAS));
        self.comments.push(format!(
            "{comment_id}, {post}, {author}, {}, {}, {at}",
            lit(&body),
            lit(&markdown::render(&body)),
        ));
        let space = space_index.map(|i| i as i64 + 1);
        org.activities.push(format!(
            "{author}, 'commented', 'comment', {comment_id}, {}, {}, {at}",
            opt(space),
            opt(wall)
        ));
    }

    /// Writes what has piled up, in an order that keeps every reference whole.
    async fn flush(&mut self, org: &mut Org<'_>, tx: &mut Tx) -> AppResult<()> {
        self.posts.flush(tx).await?;
        self.comments.flush(tx).await?;
        self.reactions.flush(tx).await?;
        self.docs.flush(tx).await?;
        org.activities.flush(tx).await
    }
}
