//! TLS to PostgreSQL, as the URL asks with libpq's parameters: `sslmode=disable` or `prefer`
//! (the default) connect in plain text; `require`, `verify-ca` and `verify-full` encrypt and
//! always verify the server's certificate and name, against the system's root certificates and
//! the PEM file `sslrootcert` names, if any. (libpq's `require` does not verify; karta never
//! sends a password over a connection it has not verified.)

use super::super::{Result, StoreError};
use postgres::config::SslMode;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How a store connects: the driver's settings, and TLS when the URL asks for it.
pub(super) struct Connector {
    /// The URL's settings, `sslmode` and `sslrootcert` taken out.
    pub(super) config: postgres::Config,
    /// The TLS connector, `None` for plain text.
    tls: Option<MakeRustlsConnect>,
}

impl Connector {
    /// The settings of `url` (`postgres://user:password@host:port/name?sslmode=…`).
    pub(super) fn from_url(url: &str) -> Result<Self> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| StoreError::Tls(format!("the URL's parameters: {e}")))?;
        let mut mode = "prefer".to_owned();
        let mut root = None;
        let mut rest = Vec::new();
        for (key, value) in pairs {
            match key.as_str() {
                "sslmode" => mode = value,
                "sslrootcert" => root = Some(value),
                _ => rest.push((key, value)),
            }
        }
        let rest = serde_urlencoded::to_string(&rest)
            .map_err(|e| StoreError::Tls(format!("the URL's parameters: {e}")))?;
        let url = if rest.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{rest}")
        };
        let mut config: postgres::Config = url.parse()?;
        let tls = match mode.as_str() {
            "disable" | "allow" | "prefer" => None,
            "require" | "verify-ca" | "verify-full" => Some(verifying(root.as_deref())?),
            other => {
                return Err(StoreError::Tls(format!(
                    "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                )));
            }
        };
        config.ssl_mode(if tls.is_some() {
            SslMode::Require
        } else {
            SslMode::Disable
        });
        Ok(Self { config, tls })
    }

    /// A new connection.
    pub(super) fn connect(&self) -> Result<postgres::Client> {
        let mut client = match &self.tls {
            Some(tls) => self.config.connect(tls.clone())?,
            None => self.config.connect(postgres::NoTls)?,
        };
        // The map's queries are short: compiling one took 51 ms of a strip's 120 (a million
        // events), when the planner overestimated its rows.
        client.batch_execute("SET jit = off")?;
        Ok(client)
    }
}

/// A TLS connector that verifies the server against the system's roots and `root_file`'s.
fn verifying(root_file: Option<&str>) -> Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(path) = root_file {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| StoreError::Tls(format!("sslrootcert {path}: {e}")))?;
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| StoreError::Tls(format!("sslrootcert {path}: {e}")))?;
        }
    }
    if roots.is_empty() {
        return Err(StoreError::Tls(
            "no root certificate to verify the server with: install the system's \
             (ca-certificates) or name one with sslrootcert="
                .into(),
        ));
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
