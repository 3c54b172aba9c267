"""deploy/: the committed nginx config for docker-compose is the launcher's rendering, nginx accepts both, and the
compose file wires replicas, nginx and PostgreSQL the way docs/DEPLOY.md says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deploy.launch import ROUTE_COOKIE, find_nginx, main, nginx_conf, nginx_site

ROOT = Path(__file__).resolve().parent.parent


def test_docker_conf_is_the_rendered_one(capsys):
    main(["--print-config", "docker", "--replicas", "2"])
    assert (ROOT / "deploy" / "nginx" / "docker.conf").read_text() == capsys.readouterr().out, \
        "regenerate: python -m deploy.launch --print-config docker --replicas 2 > deploy/nginx/docker.conf"


def test_site_has_affinity_websockets_and_health():
    site = nginx_site(["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:8080")
    assert "hash $dvl_route consistent;" in site and f"$cookie_{ROUTE_COOKIE}" in site
    assert site.count("max_fails=1 fail_timeout=10s;") == 2
    stream = site.split("location /_stcore/stream {")[1].split("}")[0]
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $dvl_connection_upgrade;", "proxy_read_timeout 1d;",
                 "proxy_set_header Host $http_host;"):
        assert line in stream, line
    assert "location = /_stcore/health {" in site


@pytest.mark.parametrize("flavour", ["local", "docker"])
def test_nginx_accepts_the_config(tmp_path, flavour):
    try:
        nginx = find_nginx()
    except RuntimeError as exc:
        pytest.fail(f"{exc} (make test installs it)")
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    if flavour == "local":
        text = nginx_conf(["127.0.0.1:8601", "127.0.0.1:8602"], "127.0.0.1:8080", tmp_path)
    else:  # the compose file's conf.d include, inside an http block, names resolved as loopback here
        site = (ROOT / "deploy" / "nginx" / "docker.conf").read_text().replace("app1:8501", "127.0.0.1:1") \
            .replace("app2:8501", "127.0.0.1:2").replace("listen 80;", "listen 127.0.0.1:8080;")
        text = f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n{site}\n}}\n"
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    out = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "logs" / "e.log")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr


def test_compose_wires_replicas_nginx_and_postgres():
    text = (ROOT / "deploy" / "docker-compose.yml").read_text()
    for needle in ("app1:", "app2:", "dockerfile: Dockerfile", "image: nginx:", "./nginx/docker.conf:/etc/nginx/conf.d",
                   "image: postgres:", "DVL_DATABASE_URL: postgresql+psycopg://", "STREAMLIT_SERVER_COOKIE_SECRET",
                   "condition: service_healthy", "pg_isready"):
        assert needle in text, needle
