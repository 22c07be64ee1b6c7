"""A terminal's config file (TOML) as a pydantic model: load it, and name the file and key of
every problem the way the hall file does (backend.hallconfig): ``file: key: reason``
(configfile: `Problem` and `ConfigError` are that module's, shared with the backend).

kiosk.config and counter.config declare their keys with the field types below (each says what a
good value is in words, e.g. "must be a positive number, got 0"); the [printer] table both share
is `PrinterConfig`. A value given on the command line (--backend-url) replaces the file's with
`override`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from configfile import WHOLE_FILE, ConfigError, Problem, read_toml


class KeyProblem(ValueError):
    """Raised by a model validator about one key (a check that involves more than one)."""

    def __init__(self, key: str, reason: str):
        super().__init__(reason)
        self.key = key


# -- field types: each checks strictly (TOML has types; "8" is not a number) and says why -------
def rule(ok: Callable[[Any], bool], reason: str) -> BeforeValidator:
    """A check run before pydantic's own; a failure reads ``reason, got <value>``."""

    def check(value: Any) -> Any:
        if not ok(value):
            raise ValueError(f"{reason}, got {value!r}")
        return value

    return BeforeValidator(check)


def one_of(choices: Iterable[Any] | Callable[[], Iterable[Any]]) -> BeforeValidator:
    """One of `choices` (or of what calling it returns when a file is read)."""

    def check(value: Any) -> Any:
        allowed = tuple(choices() if callable(choices) else choices)
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(map(str, allowed))}, got {value!r}")
        return value

    return BeforeValidator(check)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_url(value: Any) -> bool:
    """An http(s) URL with a host (as `Url` accepts; also for --backend-url)."""
    parts = urlsplit(value.strip()) if isinstance(value, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


Seconds = Annotated[float, rule(lambda v: _number(v) and v > 0, "must be a positive number")]
Retries = Annotated[
    int,
    rule(lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10,
         "must be a whole number 0-10"),
]  # fmt: skip
Text = Annotated[
    str,
    rule(lambda v: isinstance(v, str) and bool(v.strip()), "must be a non-empty string"),
    AfterValidator(str.strip),
]
OptionalText = Annotated[  # may be empty ("": the default)
    str, rule(lambda v: isinstance(v, str), "must be a string"), AfterValidator(str.strip)
]
Url = Annotated[
    str,
    rule(is_url, "must be an http(s) URL"),
    AfterValidator(lambda v: v.strip().rstrip("/")),
]
Flag = Annotated[bool, rule(lambda v: isinstance(v, bool), "must be true or false")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientConfig(Strict):
    """The keys every terminal's config file has; `source` is the file it was read from."""

    backend_url: Url
    hall: Text
    api_timeout: Seconds = 5.0
    api_retries: Retries = 2
    _source: str = PrivateAttr(default="<config>")

    @property
    def source(self) -> str:
        return self._source


# -- the [printer] table, the same for the kiosk and the counter terminal --------------------------
PAPER_WIDTHS = (58, 80)
_OWN_KEYS = ("paper", "native_qr", "job_timeout", "status_timeout")  # not open_printer's


class PrinterConfig(Strict):
    """[printer]: ``type`` and the keys of that type (see clientlib.printing.printers, kept in
    ``options`` for open_printer), plus the paper and time limits."""

    type: str = "dummy"
    paper: Annotated[int, one_of(PAPER_WIDTHS)] = 80
    native_qr: Flag = True  # False for printers without GS ( k: the QR goes as an image
    job_timeout: Seconds = 10.0  # a whole print job, status checks included, never takes longer
    status_timeout: Seconds = 2.0
    options: dict[str, Any] = Field(default_factory=lambda: {"type": "dummy"})

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: Any) -> Any:
        """A file's table: the keys that are not ours go to open_printer (none: a dummy)."""
        if not isinstance(data, dict) or "options" in data or not data:
            return data
        options = {k: v for k, v in data.items() if k not in _OWN_KEYS}
        own = {k: v for k, v in data.items() if k in _OWN_KEYS}
        if not options:  # only paper/timeouts (keyword construction or such a table): a dummy
            return own
        return own | ({"type": options["type"]} if "type" in options else {}) | {"options": options}

    @model_validator(mode="after")
    def _printer_keys(self) -> PrinterConfig:
        # python-escpos only once a printer is configured (the counter may run without it)
        from clientlib.printing.printers import open_printer

        try:
            open_printer(self.options)  # validates every type-specific key; connects nothing
        except (ValueError, RuntimeError) as exc:
            raise ValueError(str(exc)) from None
        return self


# -- reading ---------------------------------------------------------------------------------------
REASONS = {
    "missing": "is required",
    "extra_forbidden": "unknown key",
    "model_type": "must be a table, got {input!r}",
    "dict_type": "must be a table, got {input!r}",
}


def problems_of(exc: ValidationError, source: str, prefix: tuple = ()) -> list[Problem]:
    """pydantic's errors as ``file: key: reason`` (a dotted key, e.g. printer.paper)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, KeyProblem):
            loc += (cause.key,)
        if cause is not None:
            reason = str(cause)
        elif error["type"] in REASONS:
            reason = REASONS[error["type"]].format(input=error.get("input"))
        else:
            reason = error["msg"]
        problems.append(Problem(source, ".".join(map(str, loc)) or WHOLE_FILE, reason))
    return problems


C = TypeVar("C", bound=ClientConfig)


def parse(model: type[C], data: dict[str, Any], source: str = "<config>") -> C:
    """Validate a config file's table; ConfigError lists every problem."""
    try:
        config = model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_of(exc, source)) from None
    config._source = source
    return config


def load(model: type[C], path: str | Path) -> C:
    """Read and validate a config file."""
    return parse(model, read_toml(path), str(path))


def override(config: C, **values: Any) -> C:
    """The config with some keys replaced (e.g. --backend-url); None leaves a key as it is."""
    changed = {k: v for k, v in values.items() if v is not None}
    return config.model_copy(update=changed) if changed else config
