"""Render the benchmark's closing letter N times in this process, as a worker would, and print
one JSON line: the page count, the median render time, the process's RSS after 10, after N/2
and after N renders, and the slope (MB per render) of its C heap in use over the second half.
Run by ``bench.run`` as its own process (settings from the environment)."""

import contextlib
import ctypes
import gc
import json
import statistics
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    """The resident set size of this process, from /proc (Linux), after a garbage collection
    and after glibc has handed its free heap pages back to the system (``malloc_trim``): what
    is still held, not the allocator's high-water mark, which moves in steps of a few MB
    during the first renders and would look like growth (``make bench``)."""
    gc.collect()
    _malloc_trim()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _malloc_trim() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not glibc: RSS as it is
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def heap_mb() -> float | None:
    """The C heap in use (glibc ``mallinfo2``: bytes handed out by malloc, in arenas and
    mmapped), after a garbage collection; None where there is no glibc 2.33+.

    Unlike RSS, which moves by up to 1 MB either way from one render to the next (pages
    released, arenas fragmented), this is exact: what WeasyPrint, Pango and fontconfig hold.
    Python's own objects live in pymalloc arenas and in ``tracemalloc``'s view; the leak found
    here (a FontConfiguration per render) was C memory: 0.22 MB per render by this measure."""
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    gc.collect()
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def main(renders: int) -> None:
    import django

    django.setup()
    from weasyprint import HTML

    from bench.generate import letter_version_id
    from letters.models import ClosingLetterVersion
    from letters.pdf import BASE_URL, StaticOnlyFetcher, render_letter_html, render_letter_pdf

    version_id = letter_version_id()
    if version_id is None:
        raise SystemExit("no benchmark letter in the database")
    version = ClosingLetterVersion.objects.get(pk=version_id)
    html = render_letter_html(version)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    pages = len(document.pages)
    has_figures = html.count("<svg") >= 2
    del document
    times: list[float] = []
    rss_10 = rss_half = 0.0
    checkpoints: dict[int, float] = {}
    second_half: list[tuple[int, float]] = []  # (render, RSS) after each render
    size = 0
    for i in range(1, renders + 1):
        started = time.perf_counter()
        pdf = render_letter_pdf(version)
        times.append(time.perf_counter() - started)
        size = len(pdf)
        if i == 10:
            rss_10 = rss_mb()
        if i >= renders // 2:
            # The C heap where glibc tells it, else RSS (noisier).
            heap = heap_mb()
            second_half.append((i, heap if heap is not None else rss_mb()))
        if i == renders // 2:
            rss_half = rss_mb()
        if i % 10 == 0:
            checkpoints[i] = round(rss_mb(), 1)
    # The least-squares slope over every render of the second half, after the first renders
    # have filled the bounded caches (fonts, glyphs): growth per render, not warm-up.
    slope = statistics.linear_regression(*zip(*second_half, strict=True)).slope
    heap_last = heap_mb()
    print(
        json.dumps(
            {
                "pages": pages,
                "figures": has_figures,
                "bytes": size,
                "renders": renders,
                "median_s": statistics.median(times),
                "rss_10_mb": rss_10,
                "rss_half_mb": rss_half,
                "slope_mb_per_render": slope,
                "slope_of": "heap" if heap_last is not None else "rss",
                "heap_last_mb": heap_last,
                "rss_last_mb": rss_mb(),
                "rss_every_10_mb": checkpoints,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
