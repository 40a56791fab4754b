//! Blogs: a person's or a space's articles, and the article editor.

mod article_form;
mod get_blog;
mod save_article;

pub use article_form::{article_form, ArticleFormFor};
pub use get_blog::{get_blog, GetBlog};
pub use save_article::{save_article, SaveArticle};
