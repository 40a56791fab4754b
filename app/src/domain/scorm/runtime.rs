//! One learner's session with one SCO: the values set so far, the calls' errors, and what a
//! commit stores.

use std::collections::BTreeMap;

use crate::domain::scorm::model::{
    children, indexed_rule, nested_field, plain_rule, split_indexed, Access,
};
use crate::domain::scorm::values::{
    check, format_duration, format_timespan, is_number, parse_duration, parse_timespan,
};
use crate::domain::scorm::{Call, Fault, Launch, ScormVersion, State};

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
