//! Forum threads, questions and blog articles ("topics") with their replies, answers and
//! comments: kinds, validation and the views both sides share.

use serde::{Deserialize, Serialize};

use super::activity::{DocKind, Verb};
use super::ids::{CategoryId, ReplyId, TopicId};

use super::feed::Link;

/// What a topic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TopicKind {
    Thread,
    Question,
    Article,
}

impl TopicKind {
    pub const ALL: [TopicKind; 3] = [TopicKind::Thread, TopicKind::Question, TopicKind::Article];

    pub fn as_str(self) -> &'static str {
        match self {
            TopicKind::Thread => "thread",
            TopicKind::Question => "question",
            TopicKind::Article => "article",
        }
    }

    pub fn parse(s: &str) -> Option<TopicKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What one of its replies is called.
    pub fn reply_noun(self) -> &'static str {
        match self {
            TopicKind::Thread => "reply",
            TopicKind::Question => "answer",
            TopicKind::Article => "comment",
        }
    }

    /// The search document kind of one of its replies.
    pub fn reply_doc_kind(self) -> DocKind {
        match self {
            TopicKind::Thread => DocKind::Reply,
            TopicKind::Question => DocKind::Answer,
            TopicKind::Article => DocKind::Comment,
        }
    }

    /// The kind of its own search document.
    pub fn doc_kind(self) -> DocKind {
        match self {
            TopicKind::Thread => DocKind::Thread,
            TopicKind::Question => DocKind::Question,
            TopicKind::Article => DocKind::Article,
        }
    }

    /// The activity verb of creating one.
    pub fn created_verb(self) -> Verb {
        match self {
            TopicKind::Thread => Verb::Started,
            TopicKind::Question => Verb::Asked,
            TopicKind::Article => Verb::Published,
        }
    }

    /// The activity verb of replying to one.
    pub fn reply_verb(self) -> Verb {
        match self {
            TopicKind::Thread => Verb::Replied,
            TopicKind::Question => Verb::Answered,
            TopicKind::Article => Verb::Commented,
        }
    }
}

/// A topic's title: 3 to 200 characters on one line.
pub fn check_title(raw: &str) -> Result<String, String> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = t.chars().count();
    if n < 3 {
        return Err("Give it a title of at least 3 characters.".into());
    }
    if n > 200 {
        return Err(format!(
            "Titles can be at most 200 characters; this one has {n}."
        ));
    }
    Ok(t)
}

/// A blog article's publication state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleStatus {
    Draft,
    Scheduled,
    Published,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 3] = [
        ArticleStatus::Published,
        ArticleStatus::Draft,
        ArticleStatus::Scheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Scheduled => "scheduled",
            ArticleStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "Draft (only you see it)",
            ArticleStatus::Scheduled => "Scheduled (published at the time below)",
            ArticleStatus::Published => "Published now",
        }
    }
}

/// How replies are laid out: under what they answer (one level), or all by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyOrder {
    Threaded,
    Flat,
}

/// A line in a list of topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSummary {
    pub id: TopicId,
    pub kind: TopicKind,
    pub title: String,
    pub author: Link,
    pub space: Option<Link>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub replies: i64,
    /// Replies the reader has not seen (0 when they never opened it and it has none).
    pub unread: i64,
    /// The reader never opened it.
    pub new: bool,
    pub solved: bool,
    pub pinned: bool,
    pub locked: bool,
    pub status: ArticleStatus,
    pub excerpt: String,
    /// Articles: the cover picture, small.
    pub cover_url: Option<String>,
    pub at: i64,
}

impl TopicSummary {
    pub fn href(&self) -> String {
        format!("/t/{}", self.id)
    }
}

/// A page of topics, with the cursor of the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicList {
    pub items: Vec<TopicSummary>,
    pub next: Option<String>,
}

/// Where a forum is, with a category, a tag and a page.
pub fn forum_href(slug: &str, category: Option<CategoryId>, tag: &str, after: &str) -> String {
    let base = if slug.is_empty() {
        "/forum".to_owned()
    } else {
        format!("/s/{slug}/forum")
    };
    let mut query = Vec::new();
    if let Some(c) = category {
        query.push(format!("category={c}"));
    }
    if !tag.is_empty() {
        query.push(format!("tag={}", super::nav::encode_query(tag)));
    }
    if !after.is_empty() {
        query.push(format!("after={}", super::nav::encode_query(after)));
    }
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// A forum category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub description: String,
}

/// A forum (a space's or the site's) as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumView {
    /// The space's name, or "Site forum".
    pub title: String,
    /// The space's slug, empty for the site forum.
    pub slug: String,
    pub categories: Vec<Category>,
    /// The category shown, if one is chosen.
    pub category: Option<CategoryId>,
    pub may_post: bool,
    pub moderates: bool,
    pub topics: TopicList,
}

/// One reply, answer or comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub id: ReplyId,
    pub author: Link,
    pub author_reputation: i64,
    pub expert: bool,
    pub body_html: String,
    pub body_md: String,
    pub parent_id: Option<ReplyId>,
    /// Who wrote what this replies to.
    pub parent_author: Option<String>,
    pub score: i64,
    /// The reader's vote: -1, 0 or 1.
    pub my_vote: i64,
    pub accepted: bool,
    pub unread: bool,
    pub mine: bool,
    /// Its author and the topic's moderators may delete it.
    pub may_delete: bool,
    pub edited: bool,
    pub at: i64,
}

/// A topic with its replies, as its reader may see and act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicView {
    pub id: TopicId,
    pub kind: TopicKind,
    pub title: String,
    pub body_html: String,
    pub body_md: String,
    pub author: Link,
    pub author_reputation: i64,
    pub space: Option<Link>,
    /// The blog it is on, for articles.
    pub blog: Option<Link>,
    pub category: Option<Category>,
    pub categories: Vec<Category>,
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    pub published_at: i64,
    pub edited: bool,
    pub pinned: bool,
    pub locked: bool,
    pub solved: bool,
    /// An article anyone on the web may read.
    pub public: bool,
    pub cover_url: Option<String>,
    pub reactions: Vec<super::post::ReactionCount>,
    pub replies: Vec<ReplyView>,
    pub may_reply: bool,
    pub moderates: bool,
    pub is_author: bool,
    /// The author and moderators edit and delete it.
    pub may_edit: bool,
    /// False for a visitor reading a public article signed out.
    pub signed_in: bool,
    /// `normal`, `watching` or `muted`.
    pub level: String,
}

impl TopicView {
    /// The asker or a moderator accepts answers.
    pub fn may_accept(&self) -> bool {
        self.kind == TopicKind::Question && (self.is_author || self.moderates)
    }
}

/// A question like the one being typed, with its accepted answer if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarQuestion {
    pub id: TopicId,
    pub title: String,
    pub answers: i64,
    pub accepted: Option<String>,
}

/// An expert of a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertView {
    pub person: Link,
    pub reputation: i64,
    /// Appointed by a space's moderators (rather than self-declared).
    pub appointed: bool,
}

/// An Ask-the-Expert forum: the questions of one topic and its experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertForum {
    pub tag: String,
    pub experts: Vec<ExpertView>,
    pub questions: TopicList,
}

/// A blog (a person's or a space's) and its articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogView {
    pub title: String,
    /// `u:handle` or `s:slug`: which blog a new article goes on.
    pub key: String,
    /// `/u/handle/blog` or `/s/slug/blog`.
    pub href: String,
    /// Its Atom feed, for blogs anyone signed in may read.
    pub feed: Option<String>,
    pub may_write: bool,
    pub articles: TopicList,
}

/// An article in the editor: new (`id` 0) or existing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    pub id: TopicId,
    /// `u:handle` or `s:slug`.
    pub blog: String,
    pub blog_title: String,
    pub blog_href: String,
    pub title: String,
    pub body: String,
    /// Comma-separated.
    pub tags: String,
    pub status: ArticleStatus,
    /// `2026-12-01T09:00` (UTC): when a scheduled article goes out.
    pub publish_at: String,
    pub public: bool,
    /// Person blogs and public spaces' blogs may have public articles.
    pub may_be_public: bool,
    pub cover_url: Option<String>,
}

/// Everything tagged with one tag that the reader may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPage {
    pub tag: String,
    pub topics: Vec<TopicSummary>,
    pub posts: Vec<Link>,
    pub spaces: Vec<Link>,
    pub people: Vec<Link>,
}

/// The `#hashtags` of a text, lowercased, each once, at most 10: how posts are tagged.
/// A `#` starts a tag only at the start of a word and when a letter follows (so Markdown
/// headings, `C#` and `#1` are not tags).
pub fn hashtags(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '#'
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
            && chars.get(i + 1).is_some_and(|c| c.is_alphabetic());
        if starts {
            let word: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '-' || **c == '_')
                .collect();
            i += word.chars().count();
            let tag = word.trim_end_matches(['-', '_']).to_lowercase();
            if tag.chars().count() <= 40 && !found.contains(&tag) && found.len() < 10 {
                found.push(tag);
            }
        }
        i += 1;
    }
    found
}

/// Where an article's cover picture of `size` (1200 or 600 pixels wide) is served.
pub fn article_cover_url(topic: TopicId, size: u32, version: i64) -> String {
    format!("/media/article/{topic}/{size}?v={version}")
}

/// Reputation points: an accepted answer, an upvote, a downvote.
pub const POINTS_ACCEPTED: i64 = 15;
pub const POINTS_UPVOTE: i64 = 10;
pub const POINTS_DOWNVOTE: i64 = -2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_trimmed_line_of_reasonable_length() {
        assert_eq!(
            check_title("  How do I\n deploy?  ").as_deref(),
            Ok("How do I deploy?")
        );
        assert!(check_title("ab").is_err());
        assert!(check_title(&"x".repeat(201)).is_err());
    }

    #[test]
    fn hashtags_are_words_after_a_hash() {
        assert_eq!(
            hashtags("# Heading\nLearning #Onboarding and #rust-lang, not C# or #1 (#agile)"),
            vec!["onboarding", "rust-lang", "agile"]
        );
        assert!(hashtags("a#b").is_empty());
    }

    #[test]
    fn kinds_round_trip() {
        for k in TopicKind::ALL {
            assert_eq!(TopicKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TopicKind::Question.reply_noun(), "answer");
    }
}
