"""The last step of `make run`: honcho starts the Procfile's processes; a stop asked for is no error.

honcho starts each process in a session of its own, so a Ctrl-C in the terminal reaches honcho
alone; it then stops every process with SIGTERM (to its whole process group, children included),
kills what is left after 5 s, and exits with 130 (SIGINT) or 143 (SIGTERM). make would report
that as "make: *** [Makefile:NN: run] Error 130", so here those two codes end the run cleanly
(0). A process that stops by itself still stops the others and ends the run with its own code.
"""

import sys

from honcho.command import main

# honcho's exit codes after it was told to stop: 128 + SIGINT, 128 + SIGTERM.
STOPPED_ON_REQUEST = {130, 143}


def run(argv: list[str]) -> int:
    try:
        main(["start", *argv])
    except SystemExit as stop:
        return 0 if stop.code in STOPPED_ON_REQUEST else stop.code
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
