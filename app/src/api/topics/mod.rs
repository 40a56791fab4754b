//! Forum threads, Ask-the-Expert questions and blog articles: posting, reading, editing,
//! replies, votes, acceptance, reactions, experts.

mod accept_answer;
mod appoint_expert;
mod create_topic;
mod delete_reply;
mod delete_topic;
mod edit_reply;
mod edit_topic;
mod expert_forum;
mod expert_queue;
mod get_topic;
mod list_topics;
mod moderate_topic;
mod move_topic;
mod react_to_topic;
mod reply_to_topic;
mod set_topic_level;
mod similar_questions;
mod vote_on_answer;

pub use accept_answer::{accept_answer, AcceptAnswer};
pub use appoint_expert::{appoint_expert, AppointExpert};
pub use create_topic::{create_topic, CreateTopic};
pub use delete_reply::{delete_reply, DeleteReply};
pub use delete_topic::{delete_topic, DeleteTopic};
pub use edit_reply::{edit_reply, EditReply};
pub use edit_topic::{edit_topic, EditTopic};
pub use expert_forum::{expert_forum, GetExpertForum};
pub use expert_queue::{expert_queue, ExpertQueue};
pub use get_topic::{get_topic, GetTopic};
pub use list_topics::{list_topics, ListTopics};
pub use moderate_topic::{moderate_topic, ModerateTopic};
pub use move_topic::{move_topic, MoveTopic};
pub use react_to_topic::{react_to_topic, ReactToTopic};
pub use reply_to_topic::{reply_to_topic, ReplyToTopic};
pub use set_topic_level::{set_topic_level, SetTopicLevel};
pub use similar_questions::{similar_questions, SimilarQuestions};
pub use vote_on_answer::{vote_on_answer, VoteOnAnswer};
