"""HTTPS on the home network: a local certificate authority made on first use, and a server
certificate naming every address rubdown answers on, so phones get a secure context."""

from __future__ import annotations

import ipaddress
import os
import plistlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CA_CERT = "rubdown-ca.pem"
CA_KEY = "rubdown-ca.key"
SERVER_CERT = "server.pem"
SERVER_KEY = "server.key"
CA_YEARS = 10
# Browsers refuse server certificates that last longer than about 13 months.
SERVER_DAYS = 397
# The CA can only vouch for local names and private addresses, never for a real website.
PERMITTED_DNS = ("local", "localhost")
PERMITTED_NETS = (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10",
)  # fmt: skip


class CertificateError(Exception):
    """The certificate folder cannot be read or written."""


@dataclass(frozen=True)
class ServerCert:
    """The files uvicorn serves HTTPS with, and what the certificate names."""

    cert: Path
    key: Path
    ca_cert: Path
    names: tuple[str, ...]
    addresses: tuple[str, ...]
    left_out: tuple[str, ...]


@dataclass(frozen=True)
class Trust:
    """What the /trust page hands out: the CA, and where the app is over HTTPS and plain HTTP."""

    ca_cert: Path
    https_url: str
    http_url: str


def tls_dir(data: Path) -> Path:
    """The certificate folder inside the data folder, readable by its owner only."""
    folder = data / "tls"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as exc:
        raise CertificateError(f"cannot use the certificate folder {folder}: {exc}") from None
    return folder


def _write_private(path: Path, data: bytes) -> None:
    """Write a key file that only its owner can read (0600 from the start, never wider)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _key_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem


def _name(common: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "rubdown"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def ensure_ca(folder: Path, now: datetime | None = None, label: str = "") -> Path:
    """The local CA's certificate, made (with its 0600 key) the first time it is needed."""
    cert_path, key_path = folder / CA_CERT, folder / CA_KEY
    if cert_path.exists() and key_path.exists():
        key_path.chmod(0o600)
        return cert_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    start = (now or datetime.now(UTC)) - timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"rubdown local CA {label}".strip())
    permitted: list[x509.GeneralName] = [x509.DNSName(d) for d in PERMITTED_DNS]
    permitted += [x509.IPAddress(ipaddress.ip_network(n)) for n in PERMITTED_NETS]
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.NameConstraints(permitted, None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _key_pem(key))
    cert_path.write_bytes(cert.public_bytes(_pem()))
    return cert_path


def _pem() -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.PEM


def _usage(ca: bool) -> Any:
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def permitted(address: str) -> bool:
    """Whether the CA may name this address (a loopback, private or link-local one)."""
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(n) for n in PERMITTED_NETS if ip.version == _v(n))


def _v(network: str) -> int:
    return ipaddress.ip_network(network).version


def issue_server_cert(
    folder: Path, names: list[str], addresses: list[str], now: datetime | None = None
) -> ServerCert:
    """A fresh server certificate, signed by the local CA, for these names and addresses."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ca_path = folder / CA_CERT
    ca_cert, ca_key = _load_ca(folder)
    dns, ips, left_out = _vouched_for(names, addresses)
    sans = [x509.DNSName(n) for n in dns] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
    start = (now or datetime.now(UTC)) - timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(dns[0] if dns else ips[0]))
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(folder / SERVER_KEY, _key_pem(key))
    (folder / SERVER_CERT).write_bytes(cert.public_bytes(_pem()) + ca_path.read_bytes())
    return ServerCert(
        folder / SERVER_CERT, folder / SERVER_KEY, ca_path, tuple(dns), tuple(ips), left_out
    )


def _load_ca(folder: Path) -> tuple[Any, Any]:
    """The local CA's certificate and its elliptic-curve key, as rubdown wrote them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ca_cert = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
    ca_key = serialization.load_pem_private_key((folder / CA_KEY).read_bytes(), None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):  # rubdown only ever makes EC keys
        raise ValueError(f"{folder / CA_KEY} is not the elliptic-curve key rubdown made")
    return ca_cert, ca_key


def _vouched_for(
    names: list[str], addresses: list[str]
) -> tuple[list[str], list[str], tuple[str, ...]]:
    """The local names and permitted addresses a certificate may carry, and those left out."""
    dns = [n.lower() for n in dict.fromkeys(names) if _local_name(n)]
    ips = [a for a in dict.fromkeys(addresses) if permitted(a)]
    left_out = tuple(a for a in addresses if a not in ips) + tuple(
        n for n in names if n.lower() not in dns
    )
    return dns, ips, left_out


def _local_name(name: str) -> bool:
    """A name the CA may vouch for: localhost or something.local."""
    low = name.lower().rstrip(".")
    return low == "localhost" or (low.endswith(".local") and len(low) > len(".local"))


def ca_der(ca_cert: Path) -> bytes:
    """The CA certificate in DER, the form Android's certificate installer takes."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.load_pem_x509_certificate(ca_cert.read_bytes())
    der: bytes = cert.public_bytes(serialization.Encoding.DER)
    return der


def fingerprint(ca_cert: Path) -> str:
    """The CA's SHA-256 fingerprint, grouped for reading aloud against the phone's screen."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(ca_cert.read_bytes()).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def mobileconfig(ca_cert: Path) -> bytes:
    """An iOS configuration profile that installs the CA (then trusted in Settings)."""
    der = ca_der(ca_cert)
    seed = uuid.uuid5(uuid.NAMESPACE_URL, "rubdown-ca:" + fingerprint(ca_cert))
    payload = {
        "PayloadType": "com.apple.security.root",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"rubdown.ca.{seed}",
        "PayloadUUID": str(uuid.uuid5(seed, "cert")).upper(),
        "PayloadDisplayName": "rubdown local certificate",
        "PayloadContent": der,
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"rubdown.profile.{seed}",
        "PayloadUUID": str(seed).upper(),
        "PayloadDisplayName": "rubdown on your home network",
        "PayloadDescription": "Lets this device open rubdown securely on your home network.",
        "PayloadContent": [payload],
    }
    return plistlib.dumps(profile)
