//! What the benches share: a small seeded generator, so that every run makes the same events.

/// A linear congruential generator (Knuth's MMIX constants): fast, seeded, good enough to
/// spread synthetic events.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number, uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The URL of a new, empty database `name` of the PostgreSQL cluster whose `postgres` database
/// `cluster` names (`$KARTA_TEST_POSTGRES`, from `scripts/with-postgres`), dropped first if
/// an earlier run left it.
pub fn fresh_database(cluster: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(cluster, postgres::NoTls).expect("the cluster");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).expect("a bench database");
    }
    let (base, _) = cluster.rsplit_once('/').expect("a database in the URL");
    format!("{base}/{name}")
}
