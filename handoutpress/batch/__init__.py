"""``batch``: a recipients CSV → one personalised letter per row, nothing lost.

The run, in order (one module each):

1. :mod:`.preflight`: refuse draft content and sample brands unless ``--proof``, outputs
   that would replace an input, earlier letters in an ``--out-dir``; open the CSV and check
   its encoding and header; lay each language's letter out once (what does not fit is
   exit 1 here, not a reject per row).
2. :mod:`.journal`: lock the output folder (a second run on it is refused), read the job
   state when ``--resume`` is given.
3. :mod:`.worker`: the rows in chunks, inline or in a process pool (``--jobs``): each is
   checked (:mod:`.rowcheck`), then made, rejected (record, line, field, reason) or
   blank. For the ``letter`` kind, what every recipient shares is laid out once into form
   XObjects and each page is that form plus the personal parts; when the handout's text
   uses recipient fields, only those sections are laid out per letter.
4. :mod:`.runner`: each finished chunk is journalled (after its files are safely on
   disk), so a run stopped by Ctrl-C, ``kill`` or a crash is finished with ``--resume``
   and gives the same bytes as an uninterrupted run (the letter date and PDF timestamps
   come from the job, not the clock).
5. :mod:`.finish`: ``--merged``: the chunk PDFs joined into one file (:mod:`..pdfjoin`);
   ``--out-dir``: one file per row. the manifest maps record → file, pages, SHA-256;
   the rejects file lists the rows refused (``mailing.manifest.csv`` and
   ``mailing.rejects.csv`` beside ``--merged mailing.pdf``; ``manifest.csv`` and
   ``rejects.csv`` in an ``--out-dir`` folder: :meth:`.BatchRequest.record_files`).

Patient data stays in the output files (mode 0600, folders 0700): errors, warnings
and the summary name rows by record number only; PDF metadata is the handout's.
"""

from .request import BatchRequest, BatchResult
from .runner import AfterChunk, run

__all__ = ["AfterChunk", "BatchRequest", "BatchResult", "run"]
