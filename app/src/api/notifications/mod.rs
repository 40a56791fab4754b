//! Notifications and their preferences.

mod list;
mod mark_all_read;
mod mark_read;
mod open;
mod prefs;
mod set_prefs;
mod unread;

pub use list::{list_notifications, ListNotifications};
pub use mark_all_read::{mark_all_read, MarkAllRead};
pub use mark_read::{mark_read, MarkRead};
pub use open::{open_notification, OpenNotification};
pub use prefs::{notification_prefs, NotificationPrefs};
pub use set_prefs::{set_notification_prefs, SetNotificationPrefs};
pub use unread::{unread_count, UnreadCount};
