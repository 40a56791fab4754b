//! The data model as a table: every element of both editions with its access and type.

use crate::domain::scorm::ScormVersion;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    ReadOnly,
    ReadWrite,
    WriteOnly,
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
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
pub(crate) struct Rule {
    pub(crate) access: Access,
    pub(crate) kind: Kind,
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

pub(crate) fn children(v: ScormVersion, el: &str) -> Option<&'static str> {
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
pub(crate) fn plain_rule(v: ScormVersion, el: &str) -> Option<Rule> {
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
pub(crate) struct Indexed<'a> {
    pub(crate) collection: &'a str,
    pub(crate) index: usize,
    pub(crate) field: &'a str,
}

pub(crate) fn split_indexed(el: &str) -> Option<Indexed<'_>> {
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
pub(crate) fn nested_field(field: &str) -> Option<(&str, usize, &str)> {
    for list in ["objectives", "correct_responses"] {
        if let Some(rest) = field.strip_prefix(list).and_then(|r| r.strip_prefix('.')) {
            let (m, leaf) = rest.split_once('.')?;
            return Some((&field[..list.len()], m.parse().ok()?, leaf));
        }
    }
    None
}

pub(crate) fn indexed_rule(v: ScormVersion, ix: &Indexed<'_>) -> Option<Rule> {
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
