//! The SCORM run-time: the data model of SCORM 1.2 (`window.API`) and SCORM 2004
//! (`window.API_1484_11`), with each element's access, type and error codes.
//!
//! The same code runs in the browser (the player answers the content's calls with it) and on
//! the server (a commit is replayed through it, so nothing the rules refuse is stored).

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NotInitialized,
    Running,
    Terminated,
}

/// Why a call failed; each maps to the edition's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
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
enum Call {
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadOnly,
    ReadWrite,
    WriteOnly,
}

#[derive(Clone, Copy)]
enum Kind {
    Vocab(&'static [&'static str]),
    Text(usize),
    /// A number, optionally bounded; `blank` lets the empty string through (SCORM 1.2 scores).
    Number {
        min: Option<f64>,
        max: Option<f64>,
        blank: bool,
    },
    Timespan,
    Duration,
    /// A vocabulary word or a number (interaction results).
    VocabOrNumber(&'static [&'static str]),
}

#[derive(Clone, Copy)]
struct Rule {
    access: Access,
    kind: Kind,
}

const fn rw(kind: Kind) -> Option<Rule> {
    Some(Rule {
        access: Access::ReadWrite,
        kind,
    })
}
const fn ro() -> Option<Rule> {
    Some(Rule {
        access: Access::ReadOnly,
        kind: Kind::Text(0),
    })
}
const fn wo(kind: Kind) -> Option<Rule> {
    Some(Rule {
        access: Access::WriteOnly,
        kind,
    })
}
const fn num(min: f64, max: f64) -> Kind {
    Kind::Number {
        min: Some(min),
        max: Some(max),
        blank: false,
    }
}
const REAL: Kind = Kind::Number {
    min: None,
    max: None,
    blank: false,
};
const SCORE12: Kind = Kind::Number {
    min: Some(0.0),
    max: Some(100.0),
    blank: true,
};

const STATUS12: &[&str] = &["passed", "completed", "failed", "incomplete", "browsed"];
const OBJ_STATUS12: &[&str] = &[
    "passed",
    "completed",
    "failed",
    "incomplete",
    "browsed",
    "not attempted",
];
const EXIT12: &[&str] = &["time-out", "suspend", "logout", ""];
const EXIT2004: &[&str] = &["time-out", "suspend", "logout", "normal", ""];
const COMPLETION: &[&str] = &["completed", "incomplete", "not attempted", "unknown"];
const SUCCESS: &[&str] = &["passed", "failed", "unknown"];
const INTERACTION_TYPES: &[&str] = &[
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];
const RESULT12: &[&str] = &["correct", "wrong", "unanticipated", "neutral"];
const RESULT2004: &[&str] = &["correct", "incorrect", "unanticipated", "neutral"];

fn children(v: ScormVersion, el: &str) -> Option<&'static str> {
    Some(match (v, el) {
        (ScormVersion::V12, "cmi.core._children") => {
            "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time"
        }
        (ScormVersion::V12, "cmi.core.score._children") => "raw,min,max",
        (ScormVersion::V12, "cmi.objectives._children") => "id,score,status",
        (ScormVersion::V12, "cmi.interactions._children") => {
            "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
        }
        (ScormVersion::V12, "cmi.student_data._children") => {
            "mastery_score,max_time_allowed,time_limit_action"
        }
        (ScormVersion::V12, "cmi.student_preference._children") => "audio,language,speed,text",
        (ScormVersion::V2004, "cmi.score._children") => "scaled,raw,min,max",
        (ScormVersion::V2004, "cmi.objectives._children") => {
            "id,score,success_status,completion_status,progress_measure,description"
        }
        (ScormVersion::V2004, "cmi.interactions._children") => {
            "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"
        }
        (ScormVersion::V2004, "cmi.learner_preference._children") => {
            "audio_level,language,delivery_speed,audio_captioning"
        }
        (ScormVersion::V2004, "cmi.comments_from_lms._children") => "comment,location,timestamp",
        (ScormVersion::V2004, "cmi.comments_from_learner._children") => {
            "comment,location,timestamp"
        }
        _ => return None,
    })
}

/// The rule of a plain (not collection) element.
fn plain_rule(v: ScormVersion, el: &str) -> Option<Rule> {
    match v {
        ScormVersion::V12 => match el {
            "cmi.core.student_id"
            | "cmi.core.student_name"
            | "cmi.core.credit"
            | "cmi.core.entry"
            | "cmi.core.total_time"
            | "cmi.core.lesson_mode"
            | "cmi.launch_data"
            | "cmi.comments_from_lms"
            | "cmi.student_data.mastery_score"
            | "cmi.student_data.max_time_allowed"
            | "cmi.student_data.time_limit_action" => ro(),
            "cmi.core.lesson_location" => rw(Kind::Text(255)),
            "cmi.core.lesson_status" => rw(Kind::Vocab(STATUS12)),
            "cmi.core.score.raw" | "cmi.core.score.min" | "cmi.core.score.max" => rw(SCORE12),
            "cmi.core.exit" => wo(Kind::Vocab(EXIT12)),
            "cmi.core.session_time" => wo(Kind::Timespan),
            "cmi.suspend_data" | "cmi.comments" => rw(Kind::Text(4096)),
            "cmi.student_preference.audio" => rw(num(-1.0, 100.0)),
            "cmi.student_preference.language" => rw(Kind::Text(255)),
            "cmi.student_preference.speed" => rw(num(-100.0, 100.0)),
            "cmi.student_preference.text" => rw(num(-1.0, 1.0)),
            _ => None,
        },
        ScormVersion::V2004 => match el {
            "cmi._version"
            | "cmi.learner_id"
            | "cmi.learner_name"
            | "cmi.credit"
            | "cmi.entry"
            | "cmi.total_time"
            | "cmi.mode"
            | "cmi.launch_data"
            | "cmi.completion_threshold"
            | "cmi.scaled_passing_score"
            | "cmi.max_time_allowed"
            | "cmi.time_limit_action" => ro(),
            "cmi.location" => rw(Kind::Text(1000)),
            "cmi.completion_status" => rw(Kind::Vocab(COMPLETION)),
            "cmi.success_status" => rw(Kind::Vocab(SUCCESS)),
            "cmi.score.scaled" => rw(num(-1.0, 1.0)),
            "cmi.score.raw" | "cmi.score.min" | "cmi.score.max" => rw(REAL),
            "cmi.progress_measure" => rw(num(0.0, 1.0)),
            "cmi.exit" => wo(Kind::Vocab(EXIT2004)),
            "cmi.session_time" => wo(Kind::Duration),
            "cmi.suspend_data" => rw(Kind::Text(64000)),
            "cmi.learner_preference.audio_level" | "cmi.learner_preference.delivery_speed" => {
                rw(Kind::Number {
                    min: Some(0.0),
                    max: None,
                    blank: false,
                })
            }
            "cmi.learner_preference.language" => rw(Kind::Text(250)),
            "cmi.learner_preference.audio_captioning" => rw(num(-1.0, 1.0)),
            _ => None,
        },
    }
}

/// A collection element: `cmi.<collection>.<n>.<field>`.
struct Indexed<'a> {
    collection: &'a str,
    index: usize,
    field: &'a str,
}

fn split_indexed(el: &str) -> Option<Indexed<'_>> {
    for collection in ["objectives", "interactions", "comments_from_learner"] {
        let prefix = format!("cmi.{collection}.");
        if let Some(rest) = el.strip_prefix(prefix.as_str()) {
            let (n, field) = rest.split_once('.')?;
            let index = n.parse::<usize>().ok()?;
            let collection = &el[4..4 + collection.len()];
            return Some(Indexed {
                collection,
                index,
                field,
            });
        }
    }
    None
}

/// Nested lists inside an interaction: `objectives.<m>.id`, `correct_responses.<m>.pattern`.
fn nested_field(field: &str) -> Option<(&str, usize, &str)> {
    for list in ["objectives", "correct_responses"] {
        if let Some(rest) = field.strip_prefix(list).and_then(|r| r.strip_prefix('.')) {
            let (m, leaf) = rest.split_once('.')?;
            return Some((&field[..list.len()], m.parse().ok()?, leaf));
        }
    }
    None
}

fn indexed_rule(v: ScormVersion, ix: &Indexed<'_>) -> Option<Rule> {
    let v12 = v == ScormVersion::V12;
    match ix.collection {
        "objectives" => match ix.field {
            "id" => rw(Kind::Text(4000)),
            "score.raw" | "score.min" | "score.max" if v12 => rw(SCORE12),
            "score.raw" | "score.min" | "score.max" => rw(REAL),
            "score.scaled" if !v12 => rw(num(-1.0, 1.0)),
            "status" if v12 => rw(Kind::Vocab(OBJ_STATUS12)),
            "success_status" if !v12 => rw(Kind::Vocab(SUCCESS)),
            "completion_status" if !v12 => rw(Kind::Vocab(COMPLETION)),
            "progress_measure" if !v12 => rw(num(0.0, 1.0)),
            "description" if !v12 => rw(Kind::Text(250)),
            _ => None,
        },
        "interactions" => {
            // SCORM 1.2 interactions are written, never read back.
            let make = |kind| if v12 { wo(kind) } else { rw(kind) };
            if let Some((list, _, leaf)) = nested_field(ix.field) {
                return match (list, leaf) {
                    ("objectives", "id") | ("correct_responses", "pattern") => {
                        make(Kind::Text(4000))
                    }
                    _ => None,
                };
            }
            match ix.field {
                "id" => make(Kind::Text(4000)),
                "type" => make(Kind::Vocab(INTERACTION_TYPES)),
                "time" if v12 => make(Kind::Text(16)),
                "timestamp" if !v12 => make(Kind::Text(64)),
                "weighting" => make(REAL),
                "student_response" if v12 => make(Kind::Text(4096)),
                "learner_response" if !v12 => make(Kind::Text(4096)),
                "result" if v12 => make(Kind::VocabOrNumber(RESULT12)),
                "result" => make(Kind::VocabOrNumber(RESULT2004)),
                "latency" if v12 => make(Kind::Timespan),
                "latency" => make(Kind::Duration),
                "description" if !v12 => make(Kind::Text(250)),
                _ => None,
            }
        }
        "comments_from_learner" if !v12 => match ix.field {
            "comment" => rw(Kind::Text(4000)),
            "location" => rw(Kind::Text(250)),
            "timestamp" => rw(Kind::Text(64)),
            _ => None,
        },
        _ => None,
    }
}

fn is_number(s: &str) -> Option<f64> {
    let t = s.strip_prefix('-').unwrap_or(s);
    let mut parts = t.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let frac = parts.next();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let ok = match frac {
        None => digits(whole),
        Some(f) => (whole.is_empty() || digits(whole)) && digits(f),
    };
    if ok {
        s.parse::<f64>().ok()
    } else {
        None
    }
}

/// SCORM 1.2 `CMITimespan` (`HHHH:MM:SS.SS`) in hundredths of a second.
pub fn parse_timespan(s: &str) -> Option<i64> {
    let mut it = s.split(':');
    let (h, m, sec) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || !(2..=4).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (whole, frac) = match sec.split_once('.') {
        Some((w, f)) if (1..=2).contains(&f.len()) && digits(f) => (w, Some(f)),
        Some(_) => return None,
        None => (sec, None),
    };
    if !digits(h) || !digits(m) || whole.len() != 2 || !digits(whole) {
        return None;
    }
    let (h, m, s): (i64, i64, i64) = (h.parse().ok()?, m.parse().ok()?, whole.parse().ok()?);
    if m > 59 || s > 59 {
        return None;
    }
    let cs = match frac {
        Some(f) if f.len() == 1 => f.parse::<i64>().ok()? * 10,
        Some(f) => f.parse::<i64>().ok()?,
        None => 0,
    };
    Some(((h * 60 + m) * 60 + s) * 100 + cs)
}

/// SCORM 2004 `timeinterval (second,10,2)`: an ISO 8601 duration such as `PT1H2M3.5S`, in
/// hundredths of a second.
pub fn parse_duration(s: &str) -> Option<i64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    if date.is_empty() && time.is_none() {
        return None;
    }
    let mut cs: f64 = 0.0;
    let mut take = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let pos = units[next_unit..].iter().position(|(u, _)| *u == c)? + next_unit;
            let n = is_number(&number)?;
            if number.contains('.') && c != 'S' {
                return None;
            }
            cs += n * units[pos].1;
            next_unit = pos + 1;
            number.clear();
        }
        number.is_empty().then_some(())
    };
    const DAY: f64 = 24.0 * 3600.0 * 100.0;
    take(date, &[('Y', 365.0 * DAY), ('M', 30.0 * DAY), ('D', DAY)])?;
    if let Some(t) = time {
        take(t, &[('H', 360000.0), ('M', 6000.0), ('S', 100.0)])?;
    }
    Some(cs.round() as i64)
}

/// Hundredths of a second as SCORM 1.2 writes a timespan.
pub fn format_timespan(cs: i64) -> String {
    let cs = cs.max(0);
    let (h, rest) = (cs / 360000, cs % 360000);
    let (m, rest) = (rest / 6000, rest % 6000);
    format!(
        "{:04}:{:02}:{:02}.{:02}",
        h.min(9999),
        m,
        rest / 100,
        rest % 100
    )
}

/// Hundredths of a second as an ISO 8601 duration (SCORM 2004).
pub fn format_duration(cs: i64) -> String {
    let cs = cs.max(0);
    let (h, rest) = (cs / 360000, cs % 360000);
    let (m, rest) = (rest / 6000, rest % 6000);
    let (s, frac) = (rest / 100, rest % 100);
    if frac == 0 {
        format!("PT{h}H{m}M{s}S")
    } else {
        format!("PT{h}H{m}M{s}.{frac:02}S")
    }
}

fn check(kind: Kind, value: &str) -> Result<(), Fault> {
    match kind {
        Kind::Vocab(words) => words
            .contains(&value)
            .then_some(())
            .ok_or(Fault::TypeMismatch),
        Kind::Text(max) => (value.chars().count() <= max)
            .then_some(())
            .ok_or(Fault::TypeMismatch),
        Kind::Number { min, max, blank } => {
            if blank && value.is_empty() {
                return Ok(());
            }
            let n = is_number(value).ok_or(Fault::TypeMismatch)?;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(Fault::OutOfRange);
            }
            Ok(())
        }
        Kind::Timespan => parse_timespan(value).map(|_| ()).ok_or(Fault::TypeMismatch),
        Kind::Duration => parse_duration(value).map(|_| ()).ok_or(Fault::TypeMismatch),
        Kind::VocabOrNumber(words) => (words.contains(&value) || is_number(value).is_some())
            .then_some(())
            .ok_or(Fault::TypeMismatch),
    }
}

/// One content session's data model.
#[derive(Debug, Clone)]
pub struct Runtime {
    version: ScormVersion,
    state: State,
    learner_id: String,
    learner_name: String,
    entry: &'static str,
    total_time_cs: i64,
    values: BTreeMap<String, String>,
    last_error: u16,
    /// Whether something was set since the last commit.
    pub dirty: bool,
}

impl Runtime {
    /// A session resuming what `launch` carries: the entry is `resume` when the content left
    /// suspended last time, `ab-initio` when it never ran.
    pub fn new(launch: Launch) -> Runtime {
        let exit_key = match launch.version {
            ScormVersion::V12 => "cmi.core.exit",
            ScormVersion::V2004 => "cmi.exit",
        };
        let suspended = launch.stored.get(exit_key).map(String::as_str) == Some("suspend");
        let mut values = launch.stored;
        let entry = match launch.version {
            _ if suspended => "resume",
            _ if values.is_empty() => "ab-initio",
            // SCORM 2004: leaving without suspending ends the attempt; the next is a new one.
            // (Completion already recorded stays in the learner's progress.)
            ScormVersion::V2004 => {
                values.clear();
                "ab-initio"
            }
            ScormVersion::V12 => "",
        };
        // What only concerned the earlier session.
        for key in [
            "cmi.core.exit",
            "cmi.exit",
            "cmi.core.session_time",
            "cmi.session_time",
        ] {
            values.remove(key);
        }
        Runtime {
            version: launch.version,
            state: State::NotInitialized,
            learner_id: launch.learner_id,
            learner_name: launch.learner_name,
            entry,
            total_time_cs: launch.total_time_cs,
            values,
            last_error: 0,
            dirty: false,
        }
    }

    pub fn version(&self) -> ScormVersion {
        self.version
    }

    /// What the content set, to be stored.
    pub fn stored(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    pub fn last_error(&self) -> u16 {
        self.last_error
    }

    pub fn is_running(&self) -> bool {
        self.state == State::Running
    }

    fn fail<T>(&mut self, fault: Fault, call: Call, value: T) -> T {
        self.last_error = fault.code(self.version, call);
        value
    }

    fn session_state(&mut self, call: Call) -> Result<(), Fault> {
        match self.state {
            State::Running => Ok(()),
            State::NotInitialized => Err(Fault::NotInitialized),
            State::Terminated => Err(Fault::Terminated),
        }
        .inspect_err(|f| self.last_error = f.code(self.version, call))
    }

    /// `LMSInitialize("")` / `Initialize("")`.
    pub fn initialize(&mut self, arg: &str) -> bool {
        if !arg.is_empty() {
            return self.fail(Fault::Argument, Call::Initialize, false);
        }
        match self.state {
            State::NotInitialized => {
                self.state = State::Running;
                self.last_error = 0;
                true
            }
            State::Running => self.fail(Fault::AlreadyInitialized, Call::Initialize, false),
            State::Terminated => self.fail(Fault::Terminated, Call::Initialize, false),
        }
    }

    /// `LMSFinish("")` / `Terminate("")`: the caller stores [`Runtime::stored`] afterwards.
    pub fn terminate(&mut self, arg: &str) -> bool {
        if !arg.is_empty() {
            return self.fail(Fault::Argument, Call::Terminate, false);
        }
        if self.session_state(Call::Terminate).is_err() {
            return false;
        }
        self.state = State::Terminated;
        self.last_error = 0;
        true
    }

    /// `LMSCommit("")` / `Commit("")`: the caller stores [`Runtime::stored`] when it is true.
    pub fn commit(&mut self, arg: &str) -> bool {
        if !arg.is_empty() {
            return self.fail(Fault::Argument, Call::Commit, false);
        }
        if self.session_state(Call::Commit).is_err() {
            return false;
        }
        self.last_error = 0;
        true
    }

    fn read_only_value(&self, el: &str) -> String {
        match el {
            "cmi.core.student_id" | "cmi.learner_id" => self.learner_id.clone(),
            "cmi.core.student_name" | "cmi.learner_name" => self.learner_name.clone(),
            "cmi.core.credit" | "cmi.credit" => "credit".into(),
            "cmi.core.entry" | "cmi.entry" => self.entry.into(),
            "cmi.core.total_time" => format_timespan(self.total_time_cs),
            "cmi.total_time" => format_duration(self.total_time_cs),
            "cmi.core.lesson_mode" | "cmi.mode" => "normal".into(),
            "cmi._version" => "1.0".into(),
            "cmi.student_data.time_limit_action" | "cmi.time_limit_action" => {
                "continue,no message".into()
            }
            _ => String::new(),
        }
    }

    fn count(&self, prefix: &str) -> usize {
        self.values
            .keys()
            .filter_map(|k| k.strip_prefix(prefix))
            .filter_map(|rest| rest.split('.').next()?.parse::<usize>().ok())
            .map(|n| n + 1)
            .max()
            .unwrap_or(0)
    }

    /// `LMSGetValue` / `GetValue`.
    pub fn get(&mut self, el: &str) -> String {
        if self.session_state(Call::Get).is_err() {
            return String::new();
        }
        self.last_error = 0;
        if let Some(list) = children(self.version, el) {
            return list.into();
        }
        // Navigation requests (SCORM 2004 sequencing): accepted; Cohort plays one SCO at a
        // time, so none is known to be valid in advance.
        if self.version == ScormVersion::V2004 && el.starts_with("adl.nav.request_valid.") {
            return "unknown".into();
        }
        if self.version == ScormVersion::V2004 && el == "adl.nav.request" {
            return self
                .values
                .get(el)
                .cloned()
                .unwrap_or_else(|| "_none_".into());
        }
        if let Some(prefix) = el.strip_suffix("._count") {
            return match self.count_of(prefix) {
                Some(n) => n.to_string(),
                None => self.fail(Fault::Undefined, Call::Get, String::new()),
            };
        }
        let rule = match split_indexed(el) {
            Some(ix) => {
                let n = self.count(&format!("cmi.{}.", ix.collection));
                if ix.index >= n {
                    // 2004: a general get failure (301); 1.2: invalid argument (201).
                    let fault = match self.version {
                        ScormVersion::V12 => Fault::BadIndex,
                        ScormVersion::V2004 => Fault::GetFailure,
                    };
                    return self.fail(fault, Call::Get, String::new());
                }
                indexed_rule(self.version, &ix)
            }
            None => plain_rule(self.version, el),
        };
        let Some(rule) = rule else {
            return self.fail(Fault::Undefined, Call::Get, String::new());
        };
        match rule.access {
            Access::WriteOnly => self.fail(Fault::WriteOnly, Call::Get, String::new()),
            Access::ReadOnly => self.read_only_value(el),
            Access::ReadWrite => match self.values.get(el) {
                Some(v) => v.clone(),
                None => match el {
                    "cmi.core.lesson_status" => "not attempted".into(),
                    "cmi.completion_status" | "cmi.success_status" => "unknown".into(),
                    "cmi.learner_preference.audio_level"
                    | "cmi.learner_preference.delivery_speed" => "1".into(),
                    "cmi.learner_preference.audio_captioning" => "0".into(),
                    "cmi.learner_preference.language" => String::new(),
                    _ => self.fail(Fault::NotSet, Call::Get, String::new()),
                },
            },
        }
    }

    /// `_count` of a collection (or of a list inside an interaction), if it is one.
    fn count_of(&self, prefix: &str) -> Option<usize> {
        match prefix {
            "cmi.objectives" | "cmi.interactions" => Some(self.count(&format!("{prefix}."))),
            "cmi.comments_from_learner" if self.version == ScormVersion::V2004 => {
                Some(self.count(&format!("{prefix}.")))
            }
            // Cohort sends no comments to the content.
            "cmi.comments_from_lms" if self.version == ScormVersion::V2004 => Some(0),
            _ => {
                let probe = format!("{prefix}.0.x");
                let ix = split_indexed(&probe)?;
                let nested = nested_field(ix.field).is_some();
                (ix.collection == "interactions" && nested)
                    .then(|| self.count(&format!("{prefix}.")))
            }
        }
    }

    /// `LMSSetValue` / `SetValue`.
    pub fn set(&mut self, el: &str, value: &str) -> bool {
        if self.session_state(Call::Set).is_err() {
            return false;
        }
        match self.check_set(el, value) {
            Ok(()) => {
                self.values.insert(el.to_owned(), value.to_owned());
                self.last_error = 0;
                self.dirty = true;
                true
            }
            Err(f) => self.fail(f, Call::Set, false),
        }
    }

    fn check_set(&self, el: &str, value: &str) -> Result<(), Fault> {
        if self.version == ScormVersion::V2004 && el == "adl.nav.request" {
            let known = [
                "continue",
                "previous",
                "exit",
                "exitAll",
                "abandon",
                "abandonAll",
                "suspendAll",
                "_none_",
            ];
            let choice = value.starts_with("{target=") && value.ends_with("}choice")
                || value.starts_with("{target=") && value.ends_with("}jump");
            return (known.contains(&value) || choice)
                .then_some(())
                .ok_or(Fault::TypeMismatch);
        }
        if el.ends_with("._children") || el.ends_with("._count") {
            return Err(
                if children(self.version, el).is_some() || el.ends_with("._count") {
                    Fault::Keyword
                } else {
                    Fault::Undefined
                },
            );
        }
        let rule = match split_indexed(el) {
            Some(ix) => {
                // Items are added in order: the next index, or one that exists.
                let n = self.count(&format!("cmi.{}.", ix.collection));
                if ix.index > n {
                    return Err(Fault::BadIndex);
                }
                if let Some((list, m, _)) = nested_field(ix.field) {
                    let inner = format!("cmi.{}.{}.{list}.", ix.collection, ix.index);
                    if m > self.count(&inner) {
                        return Err(Fault::BadIndex);
                    }
                }
                indexed_rule(self.version, &ix)
            }
            None => plain_rule(self.version, el),
        }
        .ok_or(Fault::Undefined)?;
        if rule.access == Access::ReadOnly {
            return Err(Fault::ReadOnly);
        }
        check(rule.kind, value)
    }

    /// Replays stored values (as a commit sends them) through the rules: the values that pass,
    /// or the first element refused.
    pub fn replay(
        version: ScormVersion,
        values: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, String> {
        let mut rt = Runtime::new(Launch {
            version,
            learner_id: String::new(),
            learner_name: String::new(),
            stored: BTreeMap::new(),
            total_time_cs: 0,
        });
        rt.initialize("");
        // Collections must arrive in index order; BTreeMap order puts 10 before 2.
        let mut keys: Vec<&String> = values.keys().collect();
        keys.sort_by_key(|k| natural_key(k));
        for key in keys {
            let value = &values[key];
            if !rt.set(key, value) {
                return Err(format!(
                    "{key} = {value:?} was refused (error {})",
                    rt.last_error
                ));
            }
        }
        Ok(rt.values)
    }
}

fn natural_key(k: &str) -> Vec<(u64, String)> {
    k.split('.')
        .map(|p| match p.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, p.to_owned()),
        })
        .collect()
}

/// What a stored data model says about the learner's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub completed: bool,
    /// 0 to 100, when the content reported a score.
    pub score: Option<f64>,
    /// The time of the session that stored it, in hundredths of a second.
    pub session_time_cs: i64,
}

impl Outcome {
    pub fn of(version: ScormVersion, values: &BTreeMap<String, String>) -> Outcome {
        let get = |k: &str| values.get(k).map(String::as_str).unwrap_or_default();
        let number = |k: &str| is_number(get(k));
        match version {
            ScormVersion::V12 => {
                let raw = number("cmi.core.score.raw");
                let (min, max) = (number("cmi.core.score.min"), number("cmi.core.score.max"));
                Outcome {
                    completed: matches!(get("cmi.core.lesson_status"), "completed" | "passed"),
                    score: raw.map(|r| scale(r, min, max)),
                    session_time_cs: parse_timespan(get("cmi.core.session_time")).unwrap_or(0),
                }
            }
            ScormVersion::V2004 => {
                let score = number("cmi.score.scaled")
                    .map(|s| (s * 100.0).clamp(0.0, 100.0))
                    .or_else(|| {
                        let (min, max) = (number("cmi.score.min"), number("cmi.score.max"));
                        number("cmi.score.raw").map(|r| scale(r, min, max))
                    });
                Outcome {
                    completed: get("cmi.completion_status") == "completed"
                        || get("cmi.success_status") == "passed",
                    score,
                    session_time_cs: parse_duration(get("cmi.session_time")).unwrap_or(0),
                }
            }
        }
    }
}

/// A raw score on the 0 to 100 scale, using min and max when the content gave them.
fn scale(raw: f64, min: Option<f64>, max: Option<f64>) -> f64 {
    match (min, max) {
        (Some(lo), Some(hi)) if hi > lo => ((raw - lo) / (hi - lo) * 100.0).clamp(0.0, 100.0),
        _ => raw.clamp(0.0, 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(version: ScormVersion, stored: &[(&str, &str)]) -> Runtime {
        Runtime::new(Launch {
            version,
            learner_id: "7".into(),
            learner_name: "Lee, Ada".into(),
            stored: stored
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            total_time_cs: 0,
        })
    }

    #[test]
    fn scorm_12_session() {
        let mut rt = launch(ScormVersion::V12, &[]);
        assert_eq!(rt.get("cmi.core.student_id"), "");
        assert_eq!(rt.last_error(), 301);
        assert!(rt.initialize(""));
        assert!(!rt.initialize(""));
        assert_eq!(rt.get("cmi.core.entry"), "ab-initio");
        assert_eq!(rt.get("cmi.core.student_name"), "Lee, Ada");
        assert_eq!(rt.get("cmi.core.lesson_status"), "not attempted");
        assert!(!rt.set("cmi.core.lesson_status", "not attempted"));
        assert_eq!(rt.last_error(), 405);
        assert!(!rt.set("cmi.core.student_id", "8"));
        assert_eq!(rt.last_error(), 403);
        assert!(!rt.set("cmi.core._children", "x"));
        assert_eq!(rt.last_error(), 402);
        assert!(!rt.set("cmi.core.score.raw", "101"));
        assert!(!rt.set("cmi.core.session_time", "1:00:00"));
        assert!(rt.set("cmi.core.session_time", "0000:01:30.5"));
        assert_eq!(rt.get("cmi.core.session_time"), "");
        assert_eq!(rt.last_error(), 404);
        assert!(rt.set("cmi.core.lesson_status", "passed"));
        assert!(rt.set("cmi.core.score.raw", "85"));
        assert!(rt.set("cmi.suspend_data", "page=3"));
        assert!(rt.set("cmi.core.exit", "suspend"));
        assert!(!rt.set("cmi.interactions.1.id", "q2"));
        assert!(rt.set("cmi.interactions.0.id", "q1"));
        assert!(rt.set("cmi.interactions.0.result", "correct"));
        assert_eq!(rt.get("cmi.interactions._count"), "1");
        assert!(!rt.set("cmi.bogus", "1"));
        assert_eq!(rt.last_error(), 201);
        assert!(rt.commit(""));
        assert!(rt.terminate(""));
        assert!(!rt.set("cmi.core.lesson_status", "failed"));

        let stored = rt.stored().clone();
        let outcome = Outcome::of(ScormVersion::V12, &stored);
        assert!(outcome.completed);
        assert_eq!(outcome.score, Some(85.0));
        assert_eq!(outcome.session_time_cs, 9050);
        assert_eq!(
            Runtime::replay(ScormVersion::V12, &stored),
            Ok(stored.clone())
        );

        // The next session resumes.
        let mut next = Runtime::new(Launch {
            version: ScormVersion::V12,
            learner_id: "7".into(),
            learner_name: "Lee, Ada".into(),
            stored,
            total_time_cs: 9050,
        });
        next.initialize("");
        assert_eq!(next.get("cmi.core.entry"), "resume");
        assert_eq!(next.get("cmi.suspend_data"), "page=3");
        assert_eq!(next.get("cmi.core.total_time"), "0000:01:30.50");
    }

    #[test]
    fn scorm_2004_session() {
        let mut rt = launch(ScormVersion::V2004, &[]);
        assert!(!rt.set("cmi.location", "x"));
        assert_eq!(rt.last_error(), 132);
        assert!(rt.initialize(""));
        assert_eq!(rt.get("cmi._version"), "1.0");
        assert_eq!(rt.get("cmi.completion_status"), "unknown");
        assert_eq!(rt.get("cmi.location"), "");
        assert_eq!(rt.last_error(), 403);
        assert!(!rt.set("cmi.score.scaled", "2"));
        assert_eq!(rt.last_error(), 407);
        assert!(!rt.set("cmi.completion_status", "done"));
        assert_eq!(rt.last_error(), 406);
        assert!(!rt.set("cmi.learner_id", "x"));
        assert_eq!(rt.last_error(), 404);
        assert!(!rt.set("cmi.nothing", "x"));
        assert_eq!(rt.last_error(), 401);
        assert!(rt.set("cmi.score.scaled", "0.75"));
        assert!(rt.set("cmi.completion_status", "completed"));
        assert!(rt.set("cmi.session_time", "PT1M2.5S"));
        assert!(!rt.set("cmi.session_time", "PT"));
        assert!(rt.terminate(""));
        assert!(!rt.terminate(""));
        assert_eq!(rt.last_error(), 113);
        let outcome = Outcome::of(ScormVersion::V2004, rt.stored());
        assert!(outcome.completed);
        assert_eq!(outcome.score, Some(75.0));
        assert_eq!(outcome.session_time_cs, 6250);
    }

    #[test]
    fn scorm_2004_attempts() {
        let stored = |exit: &str| {
            launch(
                ScormVersion::V2004,
                &[("cmi.location", "p3"), ("cmi.exit", exit)],
            )
        };
        let mut resumed = stored("suspend");
        resumed.initialize("");
        assert_eq!(resumed.get("cmi.entry"), "resume");
        assert_eq!(resumed.get("cmi.location"), "p3");
        let mut fresh = stored("normal");
        fresh.initialize("");
        assert_eq!(fresh.get("cmi.entry"), "ab-initio");
        assert_eq!(fresh.get("cmi.location"), "");
        assert_eq!(fresh.get("cmi.comments_from_lms._count"), "0");
        assert!(fresh.set("adl.nav.request", "suspendAll"));
        assert!(!fresh.set("adl.nav.request", "fly"));
        assert_eq!(fresh.get("adl.nav.request_valid.continue"), "unknown");
        fresh.get("cmi.objectives.0.id");
        assert_eq!(fresh.last_error(), 301);
        assert_eq!(fresh.get("cmi.learner_preference.audio_level"), "1");
    }

    #[test]
    fn replay_refuses_what_content_could_not_set() {
        let bad: BTreeMap<String, String> = [(
            "cmi.core.student_id".to_string(),
            "someone else".to_string(),
        )]
        .into();
        assert!(Runtime::replay(ScormVersion::V12, &bad).is_err());
        let many: BTreeMap<String, String> = (0..12)
            .map(|i| (format!("cmi.objectives.{i}.id"), format!("o{i}")))
            .collect();
        assert!(Runtime::replay(ScormVersion::V12, &many).is_ok());
    }

    #[test]
    fn times() {
        assert_eq!(parse_timespan("0001:02:03.4"), Some(372340));
        assert_eq!(parse_timespan("01:00:60"), None);
        assert_eq!(parse_duration("P1DT1S"), Some(8640100));
        assert_eq!(parse_duration("PT0.25S"), Some(25));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT1S1M"), None);
        assert_eq!(format_timespan(372340), "0001:02:03.40");
        assert_eq!(format_duration(6250), "PT0H1M2.50S");
    }
}
