//! Checking values against their element's type: numbers, vocabularies, time spans.

use crate::domain::scorm::model::Kind;
use crate::domain::scorm::Fault;

pub(crate) fn is_number(s: &str) -> Option<f64> {
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

pub(crate) fn check(kind: Kind, value: &str) -> Result<(), Fault> {
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
