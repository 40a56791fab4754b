use super::*;

pub(crate) fn launch(version: ScormVersion, stored: &[(&str, &str)]) -> Runtime {
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
