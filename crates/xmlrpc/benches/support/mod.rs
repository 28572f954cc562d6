//! A deterministic Odoo-style `search_read` response on res.partner, written the way Python's
//! marshaller writes it (newline after each tag), and the typed record it decodes into.
#![allow(dead_code)]

use std::fmt::Write;

use serde::Deserialize;

/// A partner as `search_read` returns it.
#[derive(Debug, Deserialize)]
pub struct Partner {
    pub id: i32,
    pub name: String,
    pub display_name: String,
    pub email: Option<String>,
    pub is_company: bool,
    pub country_id: Option<(i32, String)>,
    pub parent_id: Option<(i32, String)>,
    pub category_id: Vec<i32>,
    pub child_ids: Vec<i32>,
    pub create_date: String,
    pub credit_limit: f64,
    pub partner_latitude: f64,
    pub comment: Option<String>,
    pub city: Option<String>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "Amélie",
    "José",
    "Zoë",
    "Łukasz",
    "Nguyễn",
    "Søren",
    "Ana",
    "Miguel",
    "Fatima",
    "Chloé",
    "Jürgen",
    "Oluwaseun",
];
const LAST: &[&str] = &[
    "Dupont",
    "García",
    "Müller",
    "O'Brien",
    "Smith & Sons",
    "Kowalski",
    "Tanaka",
    "Dubois",
    "Rossi",
    "Nakamura",
];
const CITIES: &[&str] = &[
    "Bruxelles",
    "São Paulo",
    "Zürich",
    "Kraków",
    "Quezon City",
    "Nairobi",
    "Lyon",
];
const COUNTRIES: &[(i32, &str)] = &[
    (21, "Belgium"),
    (31, "Brazil"),
    (44, "Switzerland"),
    (166, "Poland"),
    (172, "Philippines"),
    (112, "Kenya"),
    (75, "France"),
];

fn member(out: &mut String, name: &str, value: &str) {
    let _ = write!(
        out,
        "<member>\n<name>{name}</name>\n<value>{value}</value>\n</member>\n"
    );
}

/// Markup-escaped the way Python escapes strings.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn string(s: &str) -> String {
    format!("<string>{}</string>", esc(s))
}

fn many2one(id: i32, name: &str) -> String {
    format!(
        "<array><data>\n<value><int>{id}</int></value>\n<value><string>{}</string></value>\n</data></array>",
        esc(name)
    )
}

fn ids(rng: &mut Rng, max: u64) -> String {
    let mut s = String::from("<array><data>\n");
    for _ in 0..rng.below(max) {
        let _ = writeln!(s, "<value><int>{}</int></value>", 1 + rng.below(5000));
    }
    s.push_str("</data></array>");
    s
}

fn date(rng: &mut Rng, with_time: bool) -> String {
    let d = format!(
        "20{:02}-{:02}-{:02}",
        10 + rng.below(15),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    if with_time {
        format!(
            "{d} {:02}:{:02}:{:02}",
            rng.below(24),
            rng.below(60),
            rng.below(60)
        )
    } else {
        d
    }
}

/// `records` partners with 13 fields each, in one methodResponse (about 1.4 kB a record).
pub fn search_read_response(records: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(records * 1500 + 200);
    out.push_str(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n",
    );
    const FALSE: &str = "<boolean>0</boolean>";
    for i in 0..records {
        let id = i as i32 + 1;
        let first = FIRST[rng.below(FIRST.len() as u64) as usize];
        let last = LAST[rng.below(LAST.len() as u64) as usize];
        let name = format!("{first} {last} <{id}>");
        let company = rng.chance(20);
        let (cid, country) = COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize];
        out.push_str("<value><struct>\n");
        member(&mut out, "id", &format!("<int>{id}</int>"));
        member(&mut out, "name", &string(&name));
        member(
            &mut out,
            "display_name",
            &string(&format!("{last}, {name}")),
        );
        let email = format!(
            "{}.{}{id}@example.org",
            first.to_lowercase(),
            last.to_lowercase().replace(' ', "")
        );
        member(
            &mut out,
            "email",
            &if rng.chance(70) {
                string(&email)
            } else {
                FALSE.into()
            },
        );
        member(
            &mut out,
            "is_company",
            if company {
                "<boolean>1</boolean>"
            } else {
                FALSE
            },
        );
        member(
            &mut out,
            "country_id",
            &if rng.chance(85) {
                many2one(cid, country)
            } else {
                FALSE.into()
            },
        );
        member(
            &mut out,
            "parent_id",
            &if !company && rng.chance(50) {
                many2one(1 + rng.below(id as u64) as i32, &format!("{last} Holding"))
            } else {
                FALSE.into()
            },
        );
        member(&mut out, "category_id", &ids(&mut rng, 4));
        member(
            &mut out,
            "child_ids",
            &if company {
                ids(&mut rng, 8)
            } else {
                "<array><data>\n</data></array>".into()
            },
        );
        member(&mut out, "create_date", &string(&date(&mut rng, true)));
        member(
            &mut out,
            "credit_limit",
            &format!("<double>{}</double>", rng.below(1_000_000) as f64 / 100.0),
        );
        let lat = if rng.chance(10) {
            "1e-07".to_owned()
        } else {
            format!("{}", (rng.below(180_000_000) as f64 / 1e6) - 90.0)
        };
        member(
            &mut out,
            "partner_latitude",
            &format!("<double>{lat}</double>"),
        );
        member(
            &mut out,
            "comment",
            &if rng.chance(30) {
                string(&format!(
                    "<p>Met {first} at the <b>fair</b> &amp; agreed — #{id}, Q{}.</p>",
                    1 + rng.below(4)
                ))
            } else {
                FALSE.into()
            },
        );
        member(
            &mut out,
            "city",
            &if rng.chance(80) {
                string(CITIES[rng.below(CITIES.len() as u64) as usize])
            } else {
                FALSE.into()
            },
        );
        out.push_str("</struct></value>\n");
    }
    out.push_str("</data></array></value>\n</param>\n</params>\n</methodResponse>\n");
    out.into_bytes()
}
