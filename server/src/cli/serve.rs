//! `karta serve`: the HTTP API over a database file, and the poller of its news feeds.

use anyhow::{Context, Result, ensure};
use app::map::tiles::{OSM_ATTRIBUTION, OSM_URL, TileSource};
use karta::api::{self, ApiSettings};
use karta::demo;
use karta::feeds::{FetchSettings, Poller};
use karta::ingest::Pipeline;
use karta::listen::{self, ConnectionLimits};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How often the server looks for writes made by other processes (`karta ingest`).
const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// Flags of `karta serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "KARTA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: super::Db,
    /// Gazetteer index file (default: $KARTA_GAZETTEER, else the shipped one).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, env = "KARTA_BODY_LIMIT", default_value_t = 10 * 1024 * 1024)]
    pub body_limit: usize,
    /// Longest time to answer a request, in seconds.
    #[arg(long, env = "KARTA_TIMEOUT", default_value_t = 30)]
    pub timeout: u64,
    /// Longest wait for a request's headers, in seconds, counted from when a connection opens
    /// or its previous answer was sent (so also how long an idle connection stays open).
    #[arg(long, env = "KARTA_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Most connections open at once; more wait until one closes. Keep it below the limit of
    /// open files (`ulimit -n`).
    #[arg(long, env = "KARTA_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// Most events in view the map draws one by one; above, it draws clusters the server
    /// counts (`/api/clusters`).
    #[arg(long, env = "KARTA_MAP_POINTS", default_value_t = 50_000)]
    pub map_points: u64,
    /// Require a token for reads too.
    #[arg(long, env = "KARTA_PRIVATE_READS")]
    pub private_reads: bool,
    /// Most geoparse and ingest jobs running at once (default: the number of cores).
    #[arg(long, env = "KARTA_JOBS")]
    pub jobs: Option<usize>,
    /// Most more such requests waiting for a turn, beyond which they get 503 (default: twice
    /// the number of cores).
    #[arg(long, env = "KARTA_QUEUE")]
    pub queue: Option<usize>,
    /// Longest fetch of a feed or an article page, in seconds.
    #[arg(long, env = "KARTA_FEED_TIMEOUT", default_value_t = 20)]
    pub feed_timeout: u64,
    /// Largest feed or article page read, in bytes.
    #[arg(long, env = "KARTA_FEED_MAX_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub feed_max_bytes: usize,
    /// Do not load the demo reports into an empty database.
    #[arg(long, env = "KARTA_NO_DEMO")]
    pub no_demo: bool,
    /// XYZ URL template of the raster tiles the map offers under its events (off until the
    /// user turns them on); an empty value offers none.
    #[arg(long, env = "KARTA_TILES_URL", default_value = OSM_URL)]
    pub tiles_url: String,
    /// Attribution shown while the tiles are on.
    #[arg(long, env = "KARTA_TILES_ATTRIBUTION", default_value = OSM_ATTRIBUTION)]
    pub tiles_attribution: String,
}

impl Args {
    /// The tile source the flags describe; `None` when the URL is empty.
    fn tiles(&self) -> Result<Option<TileSource>> {
        let url = self.tiles_url.trim();
        if url.is_empty() {
            return Ok(None);
        }
        for part in ["{z}", "{x}", "{y}"] {
            ensure!(
                url.contains(part),
                "--tiles-url {url:?} lacks {part}: an XYZ template looks like {OSM_URL}"
            );
        }
        Ok(Some(TileSource {
            url: url.to_owned(),
            attribution: self.tiles_attribution.trim().to_owned(),
        }))
    }

    /// The poller of the database's news feeds, with the fetch limits the flags give.
    fn poller(&self, pipeline: &Pipeline) -> Result<Poller> {
        let settings = FetchSettings {
            timeout: Duration::from_secs(self.feed_timeout),
            max_bytes: self.feed_max_bytes,
        };
        Poller::new(pipeline.clone(), settings).context("starting the feed poller")
    }
}

/// Runs the server until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub fn run(args: Args) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "karta=info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // Opened before the async runtime starts: the stores' calls block (in the server, they
    // run on tokio's blocking threads).
    let pipeline = Pipeline::open(&args.db.name(), args.gazetteer.as_deref())?;
    if !args.no_demo {
        let loaded = demo::load_if_empty(&pipeline).context("loading the demo reports")?;
        if loaded > 0 {
            tracing::info!("empty database: loaded {loaded} demo reports");
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(serve(args, pipeline))
}

async fn serve(args: Args, pipeline: Pipeline) -> Result<()> {
    let tiles = args.tiles()?;
    let defaults = ApiSettings::default();
    let settings = ApiSettings {
        body_limit: args.body_limit,
        timeout: Duration::from_secs(args.timeout),
        private_reads: args.private_reads,
        jobs: args.jobs.unwrap_or(defaults.jobs),
        queue: args.queue.unwrap_or(defaults.queue),
        map_points: args.map_points,
    };
    // The web app (pages, WASM, basemap) is mounted beside the API.
    let app = api::site(pipeline.clone(), &settings, tiles);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    match pipeline.store().indexes_places() {
        true => tracing::info!("places indexed by the database; listening on http://{addr}"),
        false => tracing::info!(
            "{} events indexed; listening on http://{addr}",
            pipeline.index().len()
        ),
    }
    // Scripts and tests read the address from the first line of standard output.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on http://{addr}")?;
    stdout.flush()?;
    let poller = tokio::spawn(args.poller(&pipeline)?.run());
    let refresher = tokio::spawn(refresh(pipeline));
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(args.header_timeout),
        max_connections: args.max_connections,
    };
    listen::serve(listener, app, limits, shutdown()).await;
    refresher.abort();
    poller.abort();
    tracing::info!("stopped");
    Ok(())
}

/// Keeps the R-tree current with writes from other processes.
async fn refresh(pipeline: Pipeline) {
    let mut tick = tokio::time::interval(REFRESH_EVERY);
    loop {
        tick.tick().await;
        let p = pipeline.clone();
        match tokio::task::spawn_blocking(move || p.refresh_if_changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("refreshing the R-tree: {e}"),
            Err(e) => tracing::warn!("refreshing the R-tree: {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
