"""Column-compressed BM25 postings for a run of index slots, built once and then only read."""

import numpy as np
import numpy.typing as npt
from scipy import sparse

BM25_K1 = 1.2
BM25_B = 0.75


class Segment:
    """BM25 weights of a run of slots, column-compressed so that a term's postings are a slice."""

    __slots__ = ("data", "indices", "indptr", "start")

    def __init__(
        self,
        *,
        start: int,
        term_ids: list[npt.NDArray[np.int32]],
        term_freqs: list[npt.NDArray[np.float32]],
        term_count: int,
        average_length: float,
    ) -> None:
        lengths = np.array([freqs.sum() for freqs in term_freqs], dtype=np.float32)
        row_sizes = np.array([len(ids) for ids in term_ids], dtype=np.int64)
        indptr = np.concatenate(([0], np.cumsum(row_sizes)))
        if row_sizes.sum():
            columns = np.concatenate(term_ids)
            freqs = np.concatenate(term_freqs)
        else:
            columns = np.zeros(0, dtype=np.int32)
            freqs = np.zeros(0, dtype=np.float32)
        norms = np.repeat(
            BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average_length, 1.0)), row_sizes
        )
        weights = (freqs * (BM25_K1 + 1) / (freqs + norms)).astype(np.float32)
        matrix = sparse.csr_matrix(
            (weights, columns, indptr), shape=(len(term_ids), term_count)
        ).tocsc()
        self.start = start
        self.indptr = matrix.indptr
        self.indices = matrix.indices.astype(np.int32) + np.int32(start)
        self.data = matrix.data.astype(np.float32)

    def postings(self, term_id: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        if term_id + 1 >= len(self.indptr):
            return self.indices[:0], self.data[:0]
        begin, end = self.indptr[term_id], self.indptr[term_id + 1]
        return self.indices[begin:end], self.data[begin:end]
