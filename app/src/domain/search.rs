//! Search: what can be asked for, how results look, and the words of a query.

use serde::{Deserialize, Serialize};

use super::activity::DocKind;
use super::feed::Link;

/// What the results may be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchKind {
    All,
    Posts,
    Threads,
    Questions,
    Articles,
    Spaces,
    People,
}

impl SearchKind {
    pub const ALL: [SearchKind; 7] = [
        SearchKind::All,
        SearchKind::Questions,
        SearchKind::Threads,
        SearchKind::Posts,
        SearchKind::Articles,
        SearchKind::Spaces,
        SearchKind::People,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::All => "",
            SearchKind::Posts => "posts",
            SearchKind::Threads => "threads",
            SearchKind::Questions => "questions",
            SearchKind::Articles => "articles",
            SearchKind::Spaces => "spaces",
            SearchKind::People => "people",
        }
    }

    pub fn parse(s: &str) -> SearchKind {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(SearchKind::All)
    }

    pub fn label(self) -> &'static str {
        match self {
            SearchKind::All => "Everything",
            SearchKind::Posts => "Posts",
            SearchKind::Threads => "Forum threads",
            SearchKind::Questions => "Questions and answers",
            SearchKind::Articles => "Blog articles",
            SearchKind::Spaces => "Spaces",
            SearchKind::People => "People",
        }
    }

    /// The document kinds it covers (empty: all).
    pub fn doc_kinds(self) -> &'static [DocKind] {
        match self {
            SearchKind::All => &[],
            SearchKind::Posts => &[DocKind::Post],
            SearchKind::Threads => &[DocKind::Thread, DocKind::Reply],
            SearchKind::Questions => &[DocKind::Question, DocKind::Answer],
            SearchKind::Articles => &[DocKind::Article, DocKind::Comment],
            SearchKind::Spaces => &[DocKind::Space],
            SearchKind::People => &[DocKind::Person],
        }
    }
}

/// What a document kind, as a result carries it, is called.
pub fn doc_kind_label(kind: &str) -> &'static str {
    DocKind::parse(kind).map_or("Result", DocKind::label)
}

/// A piece of a title or snippet; `hit` pieces match the query and are highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: String,
    pub url: String,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
    pub author: Option<Link>,
    pub space: Option<Link>,
    pub tags: Vec<String>,
    pub at: i64,
}

/// Someone who answered questions about the query ("who knows about X").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowsAbout {
    pub person: Link,
    pub answers: i64,
    pub accepted: i64,
    pub score: i64,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub knows: Vec<KnowsAbout>,
    /// The offset of the next page.
    pub next: Option<i64>,
    /// The log entry of this search, for counting opened results.
    pub log_id: i64,
}

/// A logged search that found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedSearch {
    pub term: String,
    pub times: i64,
    pub last_at: i64,
}

/// The words of a query, lowercased, letters and digits only, at most 8.
pub fn terms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in q.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if !w.is_empty() && !out.contains(&w) && out.len() < 8 {
            out.push(w);
        }
    }
    out
}

/// English words too common to tell documents apart (PostgreSQL's `english` configuration
/// drops the same kind of words; SQLite's index keeps them, so queries leave them out).
pub fn is_stopword(w: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
        "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me",
        "my", "no", "not", "of", "on", "or", "our", "she", "should", "so", "than", "that", "the",
        "their", "them", "then", "there", "these", "they", "this", "to", "too", "us", "was", "we",
        "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
        "your",
    ];
    STOP.contains(&w)
}

/// The words a search looks for: [`terms`] without stopwords, unless nothing else is left.
pub fn query_terms(q: &str) -> Vec<String> {
    let all = terms(q);
    let telling: Vec<String> = all.iter().filter(|w| !is_stopword(w)).cloned().collect();
    if telling.is_empty() {
        all
    } else {
        telling
    }
}

/// Splits `text` into pieces, marking words that start with one of `terms` (so "deploying"
/// lights up for "deploy"). Case-insensitive.
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, hit: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(s),
            _ => out.push(Segment {
                text: s.to_owned(),
                hit,
            }),
        }
    };
    let mut start = 0;
    let mut in_word = false;
    let mut word_start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let alnum = i < text.len() && c.is_alphanumeric();
        if alnum && !in_word {
            in_word = true;
            word_start = i;
        } else if !alnum && in_word {
            in_word = false;
            let word = &text[word_start..i];
            let lower = word.to_lowercase();
            if terms.iter().any(|t| lower.starts_with(t.as_str())) {
                push(&text[start..word_start], false);
                push(word, true);
                start = i;
            }
        }
    }
    push(&text[start..], false);
    out
}

/// About `words` words of `text` around its first match, with the matches marked.
pub fn snippet(text: &str, terms: &[String], words: usize) -> Vec<Segment> {
    let all: Vec<&str> = text.split_whitespace().collect();
    let first = all
        .iter()
        .position(|w| {
            let l = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            terms.iter().any(|t| l.starts_with(t.as_str()))
        })
        .unwrap_or(0);
    let from = first.saturating_sub(words / 3);
    let to = (from + words).min(all.len());
    let mut piece = all[from..to].join(" ");
    if from > 0 {
        piece.insert_str(0, "… ");
    }
    if to < all.len() {
        piece.push_str(" …");
    }
    highlight(&piece, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_keep_words_only() {
        assert_eq!(
            terms("Deploy \"OR\" rust* -- NEAR(x)"),
            vec!["deploy", "or", "rust", "near", "x"]
        );
        assert!(terms("  ** ").is_empty());
    }

    #[test]
    fn queries_leave_out_stopwords_unless_nothing_else_is_left() {
        assert_eq!(
            query_terms("How do I deploy the app"),
            vec!["deploy", "app"]
        );
        assert_eq!(query_terms("the who"), vec!["the", "who"]);
    }

    #[test]
    fn highlights_words_starting_with_a_term() {
        let segs = highlight(
            "Deploying <b>Rust</b> apps",
            &["deploy".into(), "rust".into()],
        );
        let hits: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["Deploying", "Rust"]);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Deploying <b>Rust</b> apps");
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let text = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!("{text} needle {text}");
        let s = snippet(&text, &["needle".into()], 12);
        assert!(s.iter().any(|x| x.hit && x.text == "needle"));
        assert!(s.first().is_some_and(|x| x.text.starts_with('…')));
    }

    #[test]
    fn kinds_round_trip() {
        for k in SearchKind::ALL {
            assert_eq!(SearchKind::parse(k.as_str()), k);
        }
    }
}
