"""Thread workers with one failure path: ``@job(Job.SAVE)`` instead of ``@work`` + try/except.

The decorated method runs in a thread worker of its node (a workspace part, a screen), in
the group named by the job unless another is given. Whatever it raises is turned into a
``JobFailed(job, error)`` posted on that node: the node's own ``on_job_failed`` puts its
state back (if it must), and the message bubbles up to the screen, whose one handler tells
the person. The exception is caught inside the worker rather than left to Textual
(``exit_on_error=False``): a worker that ends in an error makes ``Worker.wait()`` raise for
whoever waits on it (``wait_for_complete``), which a refused save is not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from cs_console.ui.messages import Job, JobFailed

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

P = ParamSpec("P")
N = TypeVar("N", bound="DOMNode")


def job(
    name: Job, *, exclusive: bool = False, group: str = ""
) -> Callable[[Callable[Concatenate[N, P], None]], Callable[Concatenate[N, P], Worker[None]]]:
    """Run the method in a thread worker; a failure becomes ``JobFailed(name, error)``."""

    def decorator(
        method: Callable[Concatenate[N, P], None],
    ) -> Callable[Concatenate[N, P], Worker[None]]:
        @wraps(method)
        def start(node: N, /, *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
            def guarded() -> None:
                try:
                    method(node, *args, **kwargs)
                except Exception as exc:  # the one place a worker's failure is caught
                    node.post_message(JobFailed(name, exc))

            return node.run_worker(
                guarded,
                name=method.__name__,
                group=group or name.value,
                exclusive=exclusive,
                thread=True,
                exit_on_error=False,
            )

        return start

    return decorator
