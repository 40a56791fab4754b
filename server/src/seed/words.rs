//! The seeder's random numbers and the words it builds an organisation from.

/// A small, fast, seeded generator (SplitMix64): the same seed, the same organisation.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    pub(crate) fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
    pub(crate) fn chance(&mut self, percent: i64) -> bool {
        self.below(100) < percent
    }
    pub(crate) fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len() as i64) as usize]
    }
}

pub(crate) const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dev", "Elif", "Farah", "Goran", "Hana", "Ibrahim", "Jonas", "Keiko",
    "Luis", "Maya", "Nikhil", "Olga", "Pedro", "Qian", "Rosa", "Samir", "Tess", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri", "Esther", "Felix",
];

pub(crate) const LAST: &[&str] = &[
    "Lima", "Okafor", "Nguyen", "Schmidt", "Kowalski", "Haddad", "Tanaka", "Silva", "Murphy",
    "Novak", "Rossi", "Andersen", "Patel", "Moreau", "Garcia", "Kim", "Ivanova", "Mensah", "Berg",
    "Costa", "Dubois", "Fischer", "Jensen", "Khan",
];

pub(crate) const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Marketing",
    "Operations",
    "Legal",
    "Product",
    "Data",
];

pub(crate) const JOBS: &[&str] = &[
    "Software Engineer",
    "Account Executive",
    "Support Specialist",
    "Financial Analyst",
    "HR Partner",
    "Content Designer",
    "Operations Manager",
    "Counsel",
    "Product Manager",
    "Data Scientist",
    "Team Lead",
    "Learning Designer",
];

pub(crate) const PLACES: &[&str] = &[
    "Lisbon",
    "Berlin",
    "Nairobi",
    "Toronto",
    "Singapore",
    "São Paulo",
    "Manchester",
    "Remote",
];

pub(crate) const TOPICS: &[&str] = &[
    "Data Science",
    "Onboarding",
    "Leadership",
    "Customer Care",
    "Security",
    "Design Systems",
    "Public Speaking",
    "Negotiation",
    "Rust",
    "Cloud Costs",
    "Accessibility",
    "Wellbeing",
    "Sales Craft",
    "Product Discovery",
    "Writing",
    "Compliance",
    "Analytics",
    "Coaching",
];

pub(crate) const KINDS: &[&str] = &["Guild", "Circle", "Community", "Lab", "Club", "Network"];

pub(crate) const SKILLS: &[&str] = &[
    "sql",
    "python",
    "rust",
    "negotiation",
    "coaching",
    "excel",
    "figma",
    "public-speaking",
    "accessibility",
    "kubernetes",
    "writing",
    "forecasting",
    "facilitation",
    "security",
    "statistics",
    "storytelling",
];

pub(crate) const OPENERS: &[&str] = &[
    "Today I learned",
    "Quick tip:",
    "Sharing a lesson from this week:",
    "Question for the group:",
    "A small win:",
    "Reading notes:",
    "From the last workshop:",
];

pub(crate) const IDEAS: &[&str] = &[
    "pairing on a hard problem teaches more than any slide deck",
    "writing the summary first makes the meeting half as long",
    "a checklist beats memory when the stakes are high",
    "asking the customer to show, not tell, changes the conversation",
    "short feedback loops keep a project honest",
    "naming the decision up front saves a week of email",
    "teaching a topic is the fastest way to find the gaps in it",
    "the dashboard nobody opens is the one to delete first",
];

pub(crate) const CLOSERS: &[&str] = &[
    "What has worked for you?",
    "Happy to share the notes.",
    "Try it this week.",
    "More in the thread.",
    "Thanks to everyone who joined.",
    "",
];

/// Letters without accents, for addresses and handles.
pub(crate) fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' => 'e',
            'ã' | 'á' => 'a',
            'ó' => 'o',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect()
}

pub(crate) const QUESTIONS: &[&str] = &[
    "How do you run a good retrospective with a remote team?",
    "What is the best way to learn SQL window functions?",
    "Which checklist do you use before a customer demo?",
    "How do you give feedback that lands?",
    "What should a new manager read first?",
    "How do you keep notes from a course useful a month later?",
];

pub(crate) const THREADS: &[&str] = &[
    "Share your favourite learning resource this quarter",
    "Lunch and learn ideas for next month",
    "What we learned from the last incident review",
    "Mentoring pairs: how is it going?",
    "Book club: pick the next title",
];

pub(crate) const COURSES: &[(&str, &str)] = &[
    (
        "Giving feedback that helps",
        "Three short lessons on feedback people can act on.",
    ),
    (
        "SQL for analysts",
        "From SELECT to window functions, with exercises on real questions.",
    ),
    (
        "Running inclusive meetings",
        "Plan, run and follow up meetings where everyone is heard.",
    ),
];
