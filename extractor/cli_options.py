"""The command line's shared options: one definition per flag, used by every command.

`extractor` and its plugged-in groups (`extractor eval`) take the same backend flags,
so each is declared once here, with its help text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}  # every command: -h too

Model = Annotated[str | None, typer.Option(help="Model name on the backend.")]
BaseUrl = Annotated[str | None, typer.Option(help="OpenAI-compatible server, e.g. vLLM/Ollama.")]
PromptOpt = Annotated[
    str | None,
    typer.Option(
        "--prompt", help="Prompt version (prompts/NAME); default: names2 for cues, v4 for two-step."
    ),
]
Gguf = Annotated[Path | None, typer.Option(help="Serve this GGUF instead of the embedded model.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")]
MaxReasks = Annotated[int | None, typer.Option(help="Validation re-asks per call (default 2).")]
Constrain = Annotated[
    bool | None,
    typer.Option(
        "--constrain/--no-constrain",
        help="Enum-constrained names and ids (default: on where the server compiles grammars).",
    ),
]
DeadlineOpt = Annotated[
    float | None,
    typer.Option(
        "--deadline",
        help="Give up on an article after this many seconds in all (default: no limit).",
    ),
]
TimeBudgetOpt = Annotated[
    float | None,
    typer.Option(
        "--time-budget",
        help="Refuse an input whose rules/cue stages take over this many seconds "
        "(error reason time_budget; default: no limit).",
    ),
]
ServeTimeBudget = Annotated[
    float,
    typer.Option(
        "--time-budget",
        help="Seconds the rules/cue stages may spend on one document before it is "
        "refused (422, reason time_budget); far above any real article's.",
    ),
]
StallOpt = Annotated[
    float | None,
    typer.Option(
        "--stall-timeout",
        help="Give up when the model sends no token for this many seconds (default 120).",
    ),
]
FirstTokenOpt = Annotated[
    float | None,
    typer.Option(
        "--first-token-timeout",
        help="Give up on a request when no token comes for this many seconds from its "
        "start (prompt processing; default 900).",
    ),
]
MaxCalls = Annotated[
    int | None,
    typer.Option("--max-calls", help="Cap on LLM calls per input (default: from the size limit)."),
]
StrategyOpt = Annotated[
    str | None,
    typer.Option(
        "--strategy",
        help="rules (default: the cue stages, no model), cues (the cue stages, and the model "
        "names actors and answers what they leave open) or two-step (the model writes every "
        "record).",
    ),
]
Host = Annotated[str, typer.Option(help="Address to bind (non-loopback needs API keys).")]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        help="Job store: sqlite:///PATH (default: in the extractor home) or postgresql://…; "
        "or EXTRACTOR_DATABASE_URL."
    ),
]
ApiKeysFile = Annotated[
    Path | None,
    typer.Option(help="API keys, one per line (or sha256:HEX); also EXTRACTOR_API_KEYS."),
]
CorsOrigin = Annotated[
    list[str] | None, typer.Option(help="Allow this browser origin (CORS is off without).")
]
Workers = Annotated[int, typer.Option(help="Job worker threads in this process.")]
MaxInflight = Annotated[int, typer.Option(help="Requests in flight per API key.")]
MaxBodyMb = Annotated[int, typer.Option(help="Largest request body, MiB.")]
LeaseSeconds = Annotated[
    float, typer.Option(help="A job document's lease: a dead worker's document reruns after.")
]
AllowStrategy = Annotated[
    list[str] | None,
    typer.Option(
        help="Also let clients ask for this strategy (repeatable); by default only the one served."
    ),
]
BatchApi = Annotated[
    bool,
    typer.Option(
        "--batch-api",
        help="Send the model's calls as OpenAI Batch rounds (half price on most providers); "
        "the same records as a live run.",
    ),
]
PollInterval = Annotated[
    float, typer.Option(help="With --batch-api: first wait between polls, seconds (grows).")
]
WebhookAllow = Annotated[
    list[str] | None,
    typer.Option(
        help="Let jobs name a completion webhook under this URL prefix (repeatable; also "
        "EXTRACTOR_WEBHOOK_ALLOW); calls are signed with EXTRACTOR_WEBHOOK_SECRET."
    ),
]
RetentionHours = Annotated[
    float | None,
    typer.Option(
        help="Purge finished jobs (texts and results) this many hours after they finish "
        "(default: kept until deleted; also EXTRACTOR_RETENTION_HOURS)."
    ),
]
MaxQueuedJobs = Annotated[
    int, typer.Option(help="Unfinished jobs per API key before a submission is a 429.")
]
MaxQueuedDocuments = Annotated[
    int, typer.Option(help="Queued or running documents per API key before a 429.")
]
MaxAttempts = Annotated[
    int, typer.Option(help="A job document whose worker died this many times fails.")
]
