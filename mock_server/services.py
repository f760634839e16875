"""Everything one app instance owns, built once from Settings: no module-level state."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field

from mock_server.accounts.admission import Admission
from mock_server.accounts.auth import Authenticator
from mock_server.accounts.state import State, open_state
from mock_server.batches.storage import BatchStore, open_batch_store
from mock_server.caching.store import CacheStore
from mock_server.chat.context_cache import ContextCache
from mock_server.chat.generate import vocabulary
from mock_server.chat.tokens import TokenCounter, counter_for
from mock_server.clock import DAY_SECONDS, Clock, RealClock, VirtualClock, day_of, epoch_day
from mock_server.config import Settings, check_fault_text
from mock_server.data.catalogue import Catalogue, load_catalogue
from mock_server.data.spec import Spec, load_spec
from mock_server.engine.known import KNOWN_BODY_ENTRIES, KnownBodies
from mock_server.faults.book import FaultBook
from mock_server.files.storage import open_store
from mock_server.files.storage.base import FileStore
from mock_server.ids import IdGenerator
from mock_server.journal import Journal
from mock_server.memo import Memo
from mock_server.replies.book import ReplyBook
from mock_server.replies.recorded import RecordedStubs
from mock_server.signatures.signer import Signer, signing_key
from mock_server.tools.scripted import WebScript


@dataclass
class Services:
    settings: Settings
    spec: Spec
    catalogue: Catalogue
    clock: Clock
    ids: IdGenerator
    auth: Authenticator
    files: FileStore
    system_fingerprint: str
    known_bodies: KnownBodies
    faults: FaultBook
    journal: Journal
    state: State
    admission: Admission
    batches: BatchStore
    automatic_cache: ContextCache
    tokens: TokenCounter
    explicit_caches: CacheStore
    replies: ReplyBook
    signer: Signer
    web_script: WebScript  # scripted web-tool results: the settings', then the control plane's
    formula_memory: dict[str, dict[str, str]] = field(default_factory=dict)  # memory, by account
    batch_lock: threading.Lock = field(default_factory=threading.Lock)  # batch steps, one at a time
    api_day: int | None = None  # the fixed day of `api_date`; None: the clock's day

    def api(self) -> Catalogue:
        """The API as of today (the `api_date`, else the clock's day): its models and texts."""
        day = self.api_day
        return self.catalogue.on(day_of(self.clock.now()) if day is None else day)

    @classmethod
    def build(cls, settings: Settings, state: State | None = None) -> Services:
        """Everything new, except `state` when given (a reset keeps its connection)."""
        ids = IdGenerator(settings.seed)
        vocabulary()  # load the word lists now, not on the first request
        api_day = epoch_day(settings.api_date) if settings.api_date else None
        clock: Clock = RealClock()
        if settings.clock == "virtual":  # starts on the emulated day when there is one
            clock = VirtualClock() if api_day is None else VirtualClock(api_day * DAY_SECONDS)
        state = state if state is not None else open_state(settings)
        return cls(
            settings=settings,
            spec=load_spec(),
            catalogue=load_catalogue(settings.models_file),
            clock=clock,
            ids=ids,
            auth=Authenticator(settings),
            files=open_store(settings),
            system_fingerprint=ids.system_fingerprint(),
            known_bodies=Memo(KNOWN_BODY_ENTRIES),
            faults=FaultBook(settings.faults, settings.scenarios, settings.seed),
            journal=Journal(settings.journal_size),
            state=state,
            admission=Admission(settings, state, clock),
            batches=open_batch_store(settings),
            automatic_cache=ContextCache(),
            tokens=counter_for(settings.tokenizer_file),
            explicit_caches=CacheStore(),
            replies=reply_book(settings),
            web_script=settings.web_results or WebScript(),
            signer=Signer(signing_key(settings.signing_key, settings.seed)),
            api_day=api_day,
        )

    def reset(self) -> None:
        """Back to the state at start: files, batches, the context cache, journal, rules,
        scenarios, clock, ids, limits and balances (with Redis state, the shared keys of this
        prefix are deleted). The stores it replaces are closed."""
        sleep = self.faults.sleep
        state, files, batches = self.state, self.files, self.batches
        state.clear()
        # a shared state keeps its connection; a process's own starts afresh, so that requests
        # still in flight settle into the state they were admitted by, as before the reset
        fresh = Services.build(self.settings, state if state.shared else None)
        for each in dataclasses.fields(Services):
            if each.name != "batch_lock":  # a step in a worker thread may hold it
                setattr(self, each.name, getattr(fresh, each.name))
        self.faults.sleep = sleep
        files.close()
        batches.close()

    async def close(self) -> None:
        """Release what this app holds open (the stores' databases, the state's connections)."""
        self.files.close()
        self.batches.close()
        await self.state.close()


def reply_book(settings: Settings) -> ReplyBook:
    """The reply stubs: the settings' rules, then a replies directory's rules and recorded
    exchanges (its loader imported only when a directory is set)."""
    if settings.reply_files_dir is None:
        return ReplyBook(settings.reply_rules, check_fault_text)
    from mock_server.recording.normalise import request_key
    from mock_server.reply_files import load_reply_files

    files = load_reply_files(settings.reply_files_dir, check_fault_text)
    return ReplyBook((*settings.reply_rules, *files.rules), check_fault_text,
                     RecordedStubs((request_key(e.request), e) for e in files.exchanges))
