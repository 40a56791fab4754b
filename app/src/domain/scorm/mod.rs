//! The SCORM run-time: the data model of SCORM 1.2 (`window.API`) and SCORM 2004
//! (`window.API_1484_11`), with each element's access, type and error codes.
//!
//! The same code runs in the browser (the player answers the content's calls with it) and on
//! the server (a commit is replayed through it, so nothing the rules refuse is stored). The
//! elements and their rules are the table in [`model`]; values are checked in [`values`]; a
//! session's state is the [`Runtime`].

mod model;
mod runtime;
#[cfg(test)]
mod tests;
mod values;

pub use runtime::{Outcome, Runtime};
pub use values::{format_duration, format_timespan, parse_duration, parse_timespan};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which SCORM edition a package speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScormVersion {
    V12,
    V2004,
}

impl ScormVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ScormVersion::V12 => "1.2",
            ScormVersion::V2004 => "2004",
        }
    }

    pub fn parse(s: &str) -> Option<ScormVersion> {
        match s {
            "1.2" => Some(ScormVersion::V12),
            "2004" => Some(ScormVersion::V2004),
            _ => None,
        }
    }
}

/// What the player starts a session with: who the learner is, what the content stored in
/// earlier sessions, and the time spent in them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Launch {
    pub version: ScormVersion,
    pub learner_id: String,
    pub learner_name: String,
    pub stored: BTreeMap<String, String>,
    /// Earlier sessions, in hundredths of a second.
    pub total_time_cs: i64,
}

/// Where the lesson page's frame opens a SCO: the player on the content origin (an origin of
/// its own: package content is untrusted code), for one launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerFrame {
    pub url: String,
    /// The content origin, the only one whose messages the lesson page hears.
    pub origin: String,
}

/// What the player on the content origin starts with, written into its page as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerStart {
    pub launch: Launch,
    /// The SCO's address, under the launch's token.
    pub sco_url: String,
    /// Where commits go, on the content origin, under the launch's token.
    pub commit_url: String,
    /// The lesson page's origin, the only one the player tells about progress.
    pub site_origin: String,
}

/// What the player tells the lesson page (`postMessage`, as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cohort", rename_all = "snake_case")]
pub enum PlayerMessage {
    /// A commit was stored; the lesson's progress now.
    Progress {
        progress: crate::domain::course::LessonProgress,
    },
    /// A commit failed.
    Problem { message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    NotInitialized,
    Running,
    Terminated,
}

/// Why a call failed; each maps to the edition's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    GetFailure,
    Argument,
    AlreadyInitialized,
    NotInitialized,
    Terminated,
    Undefined,
    Keyword,
    ReadOnly,
    WriteOnly,
    TypeMismatch,
    OutOfRange,
    NotSet,
    BadIndex,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Call {
    Initialize,
    Terminate,
    Get,
    Set,
    Commit,
}

impl Fault {
    fn code(self, v: ScormVersion, call: Call) -> u16 {
        use Fault::*;
        match v {
            ScormVersion::V12 => match self {
                AlreadyInitialized | Terminated | GetFailure => 101,
                Argument | Undefined | BadIndex => 201,
                NotInitialized => 301,
                Keyword => 402,
                ReadOnly => 403,
                WriteOnly => 404,
                TypeMismatch | OutOfRange => 405,
                NotSet => 0,
            },
            ScormVersion::V2004 => match (self, call) {
                (AlreadyInitialized, _) => 103,
                (Terminated, Call::Initialize) => 104,
                (NotInitialized, Call::Terminate) => 112,
                (Terminated, Call::Terminate) => 113,
                (NotInitialized, Call::Get) => 122,
                (Terminated, Call::Get) => 123,
                (NotInitialized, Call::Set) => 132,
                (Terminated, Call::Set) => 133,
                (NotInitialized, _) => 142,
                (Terminated, _) => 143,
                (Argument, _) => 201,
                (GetFailure, _) => 301,
                (BadIndex, _) => 351,
                (Undefined, _) => 401,
                (Keyword | ReadOnly, _) => 404,
                (WriteOnly, _) => 405,
                (TypeMismatch, _) => 406,
                (OutOfRange, _) => 407,
                (NotSet, _) => 403,
            },
        }
    }
}

/// The words for an error code, for `GetErrorString`.
pub fn error_string(code: &str) -> &'static str {
    match code.trim() {
        "0" => "No error",
        "101" => "General exception",
        "102" => "General initialization failure",
        "103" => "Already initialized",
        "104" => "Content instance terminated",
        "112" => "Termination before initialization",
        "113" => "Termination after termination",
        "122" => "Retrieve data before initialization",
        "123" => "Retrieve data after termination",
        "132" => "Store data before initialization",
        "133" => "Store data after termination",
        "142" => "Commit before initialization",
        "143" => "Commit after termination",
        "201" => "Invalid argument error",
        "202" => "Element cannot have children",
        "203" => "Element not an array",
        "301" => "Not initialized",
        "351" => "General set failure",
        "401" => "Not implemented error / undefined data model element",
        "402" => "Invalid set value, element is a keyword / unimplemented element",
        "403" => "Element is read only / value not initialized",
        "404" => "Element is write only / read only",
        "405" => "Incorrect data type / write only",
        "406" => "Data model element type mismatch",
        "407" => "Data model element value out of range",
        _ => "Unknown error",
    }
}
