"""Another console in a process of its own: signs in, registers one complaint, says when.

    CS_CONSOLE_PASSWORD=… python -m tests.ui.other_console URL USERNAME AT

AT (ISO 8601) is this console's clock, so that the complaint's clocks fit the frozen clock
of the test watching it. Prints one JSON object: the complaint's reference, and the wall
clock (``time.time()``) just after its transaction committed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from cs_console.config.policy_file import default_policy
from cs_console.services.accounts import authenticate
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import make_engine
from tests.services.helpers import distinct_form

FORM_NUMBER = 77  # a caller and parcel no other complaint of the test has


def main(url: str, username: str, at: datetime) -> None:
    engine = make_engine(url)
    console = ServiceContext(engine, default_policy(), ZoneInfo("Asia/Shanghai"), lambda: at)
    actor = authenticate(console, username, os.environ["CS_CONSOLE_PASSWORD"]).actor
    reference = register_complaint(console, actor, distinct_form(FORM_NUMBER)).reference
    print(json.dumps({"reference": reference, "committed": time.time()}), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3]))
