//! Blogs: one per person and one per space. Articles are topics of kind `article` with a
//! title, Markdown body, cover, tags, and a state: draft (its author's only), scheduled (the
//! server publishes it at its time) or published. Comments and reactions are the topics'.
//! Public articles (person blogs and public spaces' only) are readable signed out and fill
//! the blog's Atom feed ([`atom`]). Pages and forms are read in [`read`], saved in [`write`].

mod atom;
mod read;
mod write;

pub use crate::server::policy::blogs::{require_article_editable, BlogOf};
pub use atom::atom;
pub use read::{blog, edit_form, new_form};
pub use write::{publish_due, save, ArticleInput};

/// The longest article, in characters.
pub const MAX_ARTICLE: usize = 100_000;
