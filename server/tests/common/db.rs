//! Fresh databases for the tests: an SQLite file in a temporary folder, or a new database on
//! the throwaway PostgreSQL + PostGIS cluster that `scripts/with-postgres` starts (its URL in
//! `KARTA_TEST_POSTGRES`), dropped when the test ends.

use karta::store::{SqliteStore, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The URL of the test cluster, when there is one.
pub fn postgres_cluster() -> Option<String> {
    std::env::var("KARTA_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Whether the API tests run on PostgreSQL (`KARTA_TEST_STORE=postgres`) rather than SQLite.
pub fn api_on_postgres() -> bool {
    std::env::var("KARTA_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// A database on the test cluster, dropped (its connections closed) when this is dropped.
pub struct PostgresDb {
    /// The cluster's maintenance database, from which this one is created and dropped.
    cluster: String,
    /// Its name.
    name: String,
    /// Its URL.
    pub url: String,
}

impl PostgresDb {
    /// A new empty database (PostGIS comes from the cluster's template), or `None` when no
    /// cluster is given.
    pub fn create() -> Option<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let cluster = postgres_cluster()?;
        let name = format!(
            "karta_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        // On a thread of its own: the client blocks, which an async test's thread refuses.
        let create = format!("CREATE DATABASE {name}");
        let on = cluster.clone();
        std::thread::spawn(move || {
            let mut client =
                postgres::Client::connect(&on, postgres::NoTls).expect("the test cluster answers");
            client.batch_execute(&create).expect("a test database");
        })
        .join()
        .expect("the test database is created");
        let (base, _) = cluster
            .rsplit_once('/')
            .expect("the cluster URL names a database");
        let url = format!("{base}/{name}");
        Some(Self { cluster, name, url })
    }
}

impl Drop for PostgresDb {
    fn drop(&mut self) {
        let (cluster, name) = (self.cluster.clone(), self.name.clone());
        // On a thread of its own: the client blocks, which an async test's thread refuses.
        let dropped = std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&cluster, postgres::NoTls)?;
            client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        });
        if let Ok(Err(e)) = dropped.join() {
            eprintln!("dropping the test database {}: {e}", self.name);
        }
    }
}

/// What keeps a test database alive.
pub enum Guard {
    /// The folder of an SQLite file.
    Sqlite(tempfile::TempDir),
    /// A database on the test cluster.
    Postgres(PostgresDb),
}

/// A store on a fresh database, with what keeps it alive.
pub struct TestDb {
    /// The store.
    pub store: Arc<dyn Store>,
    /// What `--db` takes to open it again: the file's path or the database's URL.
    pub db: String,
    /// The folder or database, removed when dropped (after the store).
    pub guard: Guard,
}

impl TestDb {
    /// A fresh SQLite file.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("karta.db");
        let store = SqliteStore::open(&path).expect("the database opens");
        Self {
            store: Arc::new(store),
            db: path.display().to_string(),
            guard: Guard::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` when no cluster is given.
    pub fn postgres() -> Option<Self> {
        let db = PostgresDb::create()?;
        let store = karta::store::open(&db.url).expect("the PostgreSQL store opens");
        Some(Self {
            store,
            db: db.url.clone(),
            guard: Guard::Postgres(db),
        })
    }

    /// The folder of the SQLite file, or a new temporary folder for a PostgreSQL database.
    pub fn folder(&self) -> Option<&std::path::Path> {
        match &self.guard {
            Guard::Sqlite(dir) => Some(dir.path()),
            Guard::Postgres(_) => None,
        }
    }
}
