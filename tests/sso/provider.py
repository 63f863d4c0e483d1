"""A real OpenID Connect provider (npm ``oidc-provider``, tests/sso/oidc_provider.mjs) on
127.0.0.1, for the single sign-on tests: started on a free port, ready once its discovery
document answers, stopped at the end."""

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
READY_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_jwk(kid: str) -> tuple[dict[str, Any], rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return jwk, key


@dataclass
class IdentityProvider:
    issuer: str
    config_path: Path
    config: dict[str, Any]
    signing_key: rsa.RSAPrivateKey

    def add_account(self, sub: str, **claims: Any) -> None:
        """An account at the provider (read at the next sign-in): email, email_verified,
        amr, acr."""
        self.config["accounts"][sub] = claims
        self.config_path.write_text(json.dumps(self.config))


@contextmanager
def identity_provider(tmp_dir: Path, clients: list[dict[str, Any]]) -> Iterator[IdentityProvider]:
    node = shutil.which("node")
    assert node, "node is needed for the OpenID Connect provider (make install)"
    port = _free_port()
    jwk, key = private_jwk("test-key-1")
    config = {"clients": clients, "accounts": {}, "jwks": {"keys": [jwk]}}
    config_path = tmp_dir / "oidc-provider.json"
    config_path.write_text(json.dumps(config))
    issuer = f"http://127.0.0.1:{port}"
    log = (tmp_dir / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), str(config_path)],
        cwd=SCRIPT.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_ready(process, f"{issuer}/.well-known/openid-configuration", tmp_dir)
        yield IdentityProvider(issuer, config_path, config, key)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(process: subprocess.Popen, discovery_url: str, tmp_dir: Path) -> None:
    """Poll the discovery document until it answers (the process may take a moment to
    start on a busy machine); fail with the provider's output if it stops or never does."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (tmp_dir / "oidc-provider.log").read_text()
            raise RuntimeError(f"the OpenID Connect provider stopped:\n{output}")
        try:
            if requests.get(discovery_url, timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)  # between polls of the discovery URL, not a wait for readiness
    raise RuntimeError("the OpenID Connect provider did not answer in time")
