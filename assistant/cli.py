"""`ftz-assistant` command line: thin commands over `wiring.Components`."""

from __future__ import annotations

import getpass
import json
import logging
import os
import stat
import sys
import time
from collections import defaultdict
from pathlib import Path

import click

from assistant.config import Settings, load_settings
from assistant.errors import UserError
from assistant.evaluation import judge, read_questions, report
from assistant.ingest.pipeline import FileResult, collect_files
from assistant.terminal import PrintableFormatter, printable
from assistant.wiring import Components

EXIT_USAGE = 2
EXIT_PARTIAL = 1


def _quiet_libraries() -> None:
    """No hub access, no telemetry and no third-party progress bars on our terminal."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--docs-dir", type=click.Path(path_type=Path), help="Source documents folder.")
@click.option("--index-dir", type=click.Path(path_type=Path), help="Index folder.")
@click.option("--chroma-url", help="http://host:port of a Chroma server.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details.")
@click.pass_context
def cli(ctx: click.Context, docs_dir: Path | None, index_dir: Path | None,
        chroma_url: str | None, verbose: bool) -> None:
    """FTZ Assistant: cited answers about China's Pilot Free Trade Zones."""
    handler = logging.StreamHandler()
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    for noisy in ("chromadb", "httpx", "sentence_transformers", "jieba", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)
    if ctx.obj is None:  # tests inject ready components through `cli.main(obj=...)`
        settings = load_settings(docs_dir=docs_dir, index_dir=index_dir, chroma_url=chroma_url)
        ctx.obj = Components(settings)


def _echo(text: str, err: bool = False) -> None:
    """Print a line that may hold document text, without its terminal escapes."""
    click.echo(printable(str(text)), err=err)


def _echo_json(value: object) -> None:
    _echo(json.dumps(value, ensure_ascii=False, indent=2))


def _printed_whole(rows: list, as_json: bool, empty: str) -> bool:
    """Print `rows` as JSON (with `as_json`) or say `empty` when there are none; True when
    that was the whole output."""
    if as_json:
        _echo_json(rows)
        return True
    if not rows:
        _echo(empty)
        return True
    return False


def _regular_files_only(paths: tuple[Path, ...]) -> None:
    """Refuse, before anything opens them, paths that are neither folders nor regular files
    (a named pipe would hang the ingest, a device would never end)."""
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            continue  # (a missing path is reported by collect_files)
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            raise UserError(f"not a regular file or folder: {path}")


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj.settings


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True,
              help="Throw the index's records away first and index the documents anew "
                   "(mends a damaged index; the change log is kept).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], rebuild: bool) -> None:
    """Add or update documents (files or folders; default: the docs folder)."""
    components: Components = ctx.obj
    settings = _settings(ctx)
    targets = paths or (settings.docs_dir,)
    _regular_files_only(targets)
    collected = collect_files(targets, settings.ignore_names)
    files = collected.files
    if not files and not collected.refused:
        raise UserError(f"no supported documents in {', '.join(map(str, targets))}")
    if rebuild:
        components.store.reset()
    from tqdm import tqdm

    for result in collected.refused:
        click.echo(printable(f"skipped {result.source}: {result.reason}"), err=True)
    with tqdm(total=len(files), unit="file", desc="ingest", file=sys.stderr,
              disable=len(files) < 2) as bar:

        def on_result(result: FileResult) -> None:
            bar.update(1)
            if result.status == "rejected":
                bar.write(printable(f"skipped {result.source}: {result.reason}"),
                          file=sys.stderr)

        results = collected.refused + (
            components.ingestor.ingest(files, on_result=on_result) if files else [])
    if rebuild:
        components.ingestor.sync_lexical(force=True)
    if rebuild or any(r.status in ("added", "updated", "repaired") for r in results):
        components.prepare()  # (the index is left ready to answer: its term vectors too)
    for result in results:
        if result.status != "unchanged":
            components.library.record(_who(), "ingest", result)
    counts: dict[str, int] = defaultdict(int)
    for result in results:
        counts[result.status] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in
                        ("added", "updated", "repaired", "unchanged", "rejected") if counts[s])
    _echo(f"{summary}; {components.store.count()} chunks in the index")
    if counts["rejected"]:
        ctx.exit(EXIT_PARTIAL)


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_documents(ctx: click.Context, as_json: bool) -> None:
    """Indexed documents: source, title, chunks, date ingested."""
    documents = ctx.obj.library.documents()
    if _printed_whole(documents, as_json, "The index is empty: run `ftz-assistant ingest`."):
        return
    width = max(len(d["source"]) for d in documents)
    _echo(f"{'SOURCE':<{width}}  CHUNKS  INGESTED (UTC)    TITLE")
    for doc in documents:
        when = doc["ingested_at"][:16].replace("T", " ")
        _echo(f"{doc['source']:<{width}}  {doc['chunks']:>6}  {when:<16}  {doc['title']}")
    _echo(f"{len(documents)} documents, {sum(d['chunks'] for d in documents)} chunks")


def _who() -> str:
    """Who made a change from the command line, for the change log."""
    return f"cli:{getpass.getuser()}"


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.pass_context
def remove(ctx: click.Context, sources: tuple[str, ...]) -> None:
    """Remove documents by source name (as shown by `list`); their files in the docs folder
    are moved to the index folder's `removed/`, so a restart does not bring them back."""
    results = ctx.obj.library.remove(list(sources), who=_who())
    for result in results:
        if result.status == "removed":
            _echo(f"removed {result.source}")
        else:
            _echo(f"{result.reason}: {result.source}", err=True)
    if any(result.status != "removed" for result in results):
        ctx.exit(EXIT_PARTIAL)


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer JSON.")
@click.option("--batch", type=click.Path(path_type=Path), help="JSONL file of questions.")
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, batch: Path | None) -> None:
    """Answer a question (or every line of --batch FILE.jsonl) from the indexed documents."""
    engine = ctx.obj.prepare().engine
    if batch is not None:
        if question:
            raise UserError("give either a question or --batch FILE, not both")
        for row in read_questions(batch):
            answer = engine.answer(str(row["question"]), question_id=row.get("id"))
            _echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    if question is None:
        raise UserError('no question given: ftz-assistant ask "How large is the Dalian area?"')
    answer = engine.answer(question)
    if as_json:
        _echo_json(answer.to_json())
        return
    _echo(answer.answer)
    if answer.reason:
        _echo(answer.reason)
    listed = answer.citations or answer.related
    if listed:
        _echo("\nSources:" if answer.found else "\nRelated passages (not an answer):")
    for citation in listed:
        where = " · ".join(p for p in (citation.section,
                                        f"p. {citation.page}" if citation.page else "") if p)
        place = f"{citation.source}, {where}" if where else citation.source
        _echo(f"[{citation.n}] {citation.title} ({place})")
        if not answer.found:
            _echo(f"    {citation.snippet}")
        if citation.url:
            _echo(f"    {citation.url}")


@cli.command(name="eval")
@click.argument("questions", type=click.Path(path_type=Path))
@click.pass_context
def evaluate(ctx: click.Context, questions: Path) -> None:
    """Score a question file: table by kind, then `accuracy A cite C refusal R n N+M`."""
    rows = read_questions(questions)
    engine = ctx.obj.prepare().engine
    judgements = [judge(row, engine.answer(str(row["question"])).to_json()) for row in rows]
    _echo(report(judgements))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Start the chat app (the index is brought up to date with the docs folder first)."""
    components: Components = ctx.obj
    started = time.perf_counter()
    docs = components.settings.docs_dir
    if docs.is_dir():
        collected = collect_files([docs], components.settings.ignore_names)
        results = collected.refused + components.ingestor.ingest(collected.files)
        changed = [r for r in results if r.status not in ("unchanged",)]
        for result in changed:
            line = f"{result.status} {result.source}" + (f": {result.reason}" if result.reason
                                                          else "")
            _echo(line, err=True)
    elif components.store.count() == 0:
        raise UserError(f"the index is empty and there is no docs folder at {docs}")
    engine = components.prepare().engine
    engine.warm_up()
    from assistant.ui.app import build_app, launch

    app = build_app(engine, components.library, components.gate, components.finder,
                    components.settings.upload_cache_minutes)
    _echo(f"ready in {time.perf_counter() - started:.1f} s: http://{host}:{port}", err=True)
    launch(app, host, port, components.settings.max_upload_mb, components.settings.docs_dir,
           components.gate)


@cli.command()
@click.option("--for", "profile", required=True, help="The enterprise, described in words.")
@click.option("--zone", help="Only measures of this zone (e.g. Dalian).")
@click.option("--sector", help="Only measures of this sector (e.g. 'shipping and ports').")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def measures(ctx: click.Context, profile: str, zone: str | None, sector: str | None,
             as_json: bool) -> None:
    """Measures that apply to an enterprise described in words, best first."""
    found = ctx.obj.finder.find(profile, zone=zone, sector=sector)
    if _printed_whole(found, as_json,
                      "No specific measure found in the indexed documents for this description."):
        return
    for rank, item in enumerate(found, start=1):
        source = item["citations"][0]["source"]
        _echo(f"{rank}. {item['measure']} ({item['zone'] or 'zone not given'})")
        _echo(f"   {item['summary']}")
        _echo(f"   why: {item['why']} · source: {source}")


@cli.command()
@click.option("--zone", help="Only figures of this zone (e.g. Dalian).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def facts(ctx: click.Context, zone: str | None, as_json: bool) -> None:
    """The figures found in the documents, each with its source."""
    found = ctx.obj.finder.facts(zone=zone)
    if as_json:
        _echo_json(found)
        return
    for fact in found:
        _echo(f"{fact['value']:>16} {fact['unit']:<14} {fact['quantity'][:40]:<40} "
                   f"{fact['place'] or '-':<30} {fact['period'] or '-':<20} "
                   f"[{fact['citations'][0]['source']}]")
    _echo(f"{len(found)} figures")


def main() -> None:
    """Entry point: user mistakes become one line on stderr and a non-zero exit."""
    _quiet_libraries()
    try:
        outcome = cli.main(standalone_mode=False)  # returns ctx.exit()'s code, if any
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        _echo(f"error: {error.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except click.Abort:
        _echo("aborted", err=True)
        sys.exit(130)
    except UserError as error:
        _echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(outcome if isinstance(outcome, int) else 0)
