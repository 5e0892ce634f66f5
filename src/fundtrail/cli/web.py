"""The ``serve`` command: the public web site and JSON API over a store, read-only."""

from __future__ import annotations

import click

from fundtrail.cli.common import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--dossier",
    "dossiers",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A dossier file to serve (repeatable; default: the ENE demo dossier).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="Worker processes, each with its own read-only connection (default: one per core).",
)
@click.option(
    "--page-cache-mb",
    type=click.IntRange(min=0, max=65536),
    default=64,
    show_default=True,
    help="Memory per worker for organisation and funder pages already computed (0: none).",
)
def serve(
    db: str,
    host: str,
    port: int,
    dossiers: tuple[str, ...],
    workers: int | None,
    page_cache_mb: int,
) -> None:
    """Serve the web site and its JSON API over the store DB, opened read-only.

    Pages are computed from the store on their first visit; the organisation and funder
    pages are then kept in memory (--page-cache-mb) until the store or a dossier changes.
    """
    import os
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from fundtrail.errors import StoreError
    from fundtrail.web import create_app
    from fundtrail.web.workers import default_workers, worker_environment

    try:
        app = create_app(db, list(dossiers) or None, page_cache_bytes=page_cache_mb << 20)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    count = workers or default_workers()
    click.echo(f"fundtrail: http://{host}:{port}/  (store {db}, read-only, {count} workers)")
    if count == 1:
        uvicorn.run(app, host=host, port=port, log_level="info")
        return
    app.state.store.close()  # checked it opens; each worker opens its own
    # one DuckDB thread per query in each worker: the workers already share the cores
    os.environ.update(
        worker_environment(
            db, list(dossiers) or None, threads=1, page_cache_bytes=page_cache_mb << 20
        )
    )
    config = uvicorn.Config(
        "fundtrail.web.workers:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
    )
    # The listener is bound here with its protocol named: accepted sockets inherit it, and
    # asyncio turns Nagle off (TCP_NODELAY) only on IPPROTO_TCP sockets. uvicorn's own
    # binding for workers leaves it at 0, and each keep-alive response then waited ~40 ms
    # for the client's delayed ACK (Kludex/uvicorn#3149).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.set_inheritable(True)
    Multiprocess(config, sockets=[listener]).run()


COMMANDS = [serve]
