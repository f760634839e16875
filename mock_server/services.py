"""Everything one app instance owns, built once from Settings: no module-level state."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.admission import Admission
from mock_server.auth import Authenticator
from mock_server.catalogue import Catalogue, load_catalogue
from mock_server.clock import Clock, RealClock, VirtualClock
from mock_server.config import Settings
from mock_server.fault_book import FaultBook
from mock_server.files.storage import open_store
from mock_server.files.storage.base import FileStore
from mock_server.generate import vocabulary
from mock_server.ids import IdGenerator
from mock_server.journal import Journal
from mock_server.known import KNOWN_BODY_ENTRIES, KnownBodies
from mock_server.memo import Memo
from mock_server.spec import Spec, load_spec
from mock_server.state import State, open_state


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

    @classmethod
    def build(cls, settings: Settings, state: State | None = None) -> Services:
        """Everything new, except `state` when given (a reset keeps its connection)."""
        ids = IdGenerator(settings.seed)
        vocabulary()  # load the word lists now, not on the first request
        clock: Clock = VirtualClock() if settings.clock == "virtual" else RealClock()
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
        )
