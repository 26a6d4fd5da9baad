//! Medians, ratios and the table each measure prints (Markdown, so that it can be pasted into
//! BENCHMARKS.md as it is).

use std::fmt::Write;

/// The median of `values` (the mean of the two middle ones for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    }
}

/// The largest of `values`; 0 for none.
pub fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

/// Whether a figure met its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// No target: a figure for information.
    Info,
}

impl Verdict {
    pub fn of(met: bool) -> Verdict {
        if met { Verdict::Pass } else { Verdict::Fail }
    }
}

/// One line of a table.
#[derive(Clone, Debug)]
pub struct Row {
    pub figure: String,
    pub baseline: String,
    pub client: String,
    pub ratio: String,
    pub target: String,
    pub verdict: Verdict,
}

impl Row {
    /// A row of paired runs (`pairs[0]` the baseline's, `pairs[1]` the client's, one of each
    /// per round): the medians of each side, and the median of the per-round ratios (pairs run
    /// back to back, so a drift of the machine between rounds cancels out), held to
    /// `ratio <= limit`.
    pub fn paired_at_most(figure: &str, pairs: &[Vec<f64>; 2], unit: &str, limit: f64) -> Row {
        let ratio = median(&paired_ratios(pairs));
        Row {
            figure: figure.into(),
            baseline: format_value(median(&pairs[0]), unit),
            client: format_value(median(&pairs[1]), unit),
            ratio: format!("{ratio:.3}"),
            target: format!("≤ {limit:.2} ×"),
            verdict: Verdict::of(ratio <= limit),
        }
    }

    /// [`Row::paired_at_most`] without a target.
    pub fn paired_info(figure: &str, pairs: &[Vec<f64>; 2], unit: &str) -> Row {
        let mut row = Row::paired_at_most(figure, pairs, unit, f64::INFINITY);
        row.target = "–".into();
        row.verdict = Verdict::Info;
        row
    }

    /// [`Row::paired_at_most`] held to `ratio >= limit` (throughputs).
    pub fn paired_at_least(figure: &str, pairs: &[Vec<f64>; 2], unit: &str, limit: f64) -> Row {
        let mut row = Row::paired_at_most(figure, pairs, unit, limit);
        let ratio = median(&paired_ratios(pairs));
        row.target = format!("≥ {limit:.2} ×");
        row.verdict = Verdict::of(ratio >= limit);
        row
    }

    /// A row of information: both figures and their ratio, no target.
    pub fn info(figure: &str, baseline: f64, client: f64, unit: &str) -> Row {
        Row {
            figure: figure.into(),
            baseline: format_value(baseline, unit),
            client: format_value(client, unit),
            ratio: if baseline > 0.0 {
                format!("{:.3}", client / baseline)
            } else {
                "–".into()
            },
            target: "–".into(),
            verdict: Verdict::Info,
        }
    }
}

/// Client / baseline of each round.
pub fn paired_ratios(pairs: &[Vec<f64>; 2]) -> Vec<f64> {
    pairs[0]
        .iter()
        .zip(&pairs[1])
        .map(|(baseline, client)| client / baseline)
        .collect()
}

/// `1.012, 0.998, ...`
pub fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|value| format!("{value:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `12.3 ms`, `4.56 µs`, `61.2 MiB`, `812 MiB/s`, `1234 req/s`, ...
pub fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "s" if value < 1e-3 => format!("{:.2} µs", value * 1e6),
        "s" if value < 1.0 => format!("{:.2} ms", value * 1e3),
        "s" => format!("{value:.2} s"),
        "" => format!("{value:.2}"),
        _ if value >= 100.0 => format!("{value:.0} {unit}"),
        _ => format!("{value:.2} {unit}"),
    }
}

/// What a measure prints: a title, lines about how it ran, and its rows.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub title: String,
    pub notes: Vec<String>,
    pub rows: Vec<Row>,
    /// Extra tables (per length, per crate), already rendered.
    pub appendix: Vec<String>,
}

impl Table {
    pub fn new(title: &str) -> Table {
        Table {
            title: title.into(),
            ..Table::default()
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Whether every enforced row met its target.
    pub fn met(&self) -> bool {
        self.rows.iter().all(|row| row.verdict != Verdict::Fail)
    }

    /// The table as Markdown; in smoke mode the verdicts are marked as not enforced.
    pub fn render(&self, smoke: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\n## {}\n", self.title);
        for note in &self.notes {
            let _ = writeln!(out, "- {note}");
        }
        if !self.rows.is_empty() {
            let _ = writeln!(
                out,
                "\n| figure | baseline (median) | client (median) | ratio | target | result |"
            );
            let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        }
        for row in &self.rows {
            let verdict = match (row.verdict, smoke) {
                (Verdict::Pass, false) => "**pass**",
                (Verdict::Fail, false) => "**FAIL**",
                (Verdict::Pass, true) => "pass (smoke: not enforced)",
                (Verdict::Fail, true) => "miss (smoke: not enforced)",
                (Verdict::Info, _) => "info",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                row.figure, row.baseline, row.client, row.ratio, row.target, verdict
            );
        }
        for extra in &self.appendix {
            let _ = writeln!(out, "\n{extra}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn ratios_are_held_to_their_limits() {
        let pairs = [vec![1.0, 1.0, 1.0], vec![1.04, 1.2, 1.0]];
        assert_eq!(paired_ratios(&pairs), [1.04, 1.2, 1.0]);
        assert_eq!(
            Row::paired_at_most("x", &pairs, "s", 1.05).verdict,
            Verdict::Pass
        );
        assert_eq!(
            Row::paired_at_most("x", &pairs, "s", 1.03).verdict,
            Verdict::Fail
        );
        assert_eq!(
            Row::paired_at_least("x", &pairs, "MiB/s", 1.05).verdict,
            Verdict::Fail
        );
        assert_eq!(format_value(0.000_012_3, "s"), "12.30 µs");
        assert_eq!(format_value(812.4, "MiB/s"), "812 MiB/s");
    }
}
