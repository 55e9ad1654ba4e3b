"""The primary model's two steps: anchors align the languages; a KMeans + Leiden consensus finds the themes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from topicmap.representations.alignment import AnchorAligner, mutual_nearest_pairs
from topicmap.representations.language_neutral import unit_rows
from topicmap.topics.consensus import EnsembleConsensusClustering, leiden_with_k, knn_graph


def blobs(n_per: int = 25, k: int = 4, dim: int = 16, seed: int = 0):
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(k, dim)) * 3
    X = np.vstack([centre + rng.normal(size=(n_per, dim)) for centre in centres])
    return X, np.repeat(np.arange(k), n_per)


def test_the_consensus_recovers_well_separated_groups():
    X, truth = blobs()
    model = EnsembleConsensusClustering(n_clusters=4, n_runs=20, random_state=1).fit(X)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    assert model.stability_ == 1.0
    assert all(value > 0.9 for value in model.cluster_consensus_.values())


def test_the_kmeans_and_leiden_mixture_recovers_them_too_and_an_unknown_mixture_is_refused():
    import pytest

    X, truth = blobs(seed=2)
    model = EnsembleConsensusClustering(n_clusters=4, n_runs=20, base_methods="kmeans+leiden", random_state=1).fit(X)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    with pytest.raises(ValueError, match="base_methods must be one of"):
        EnsembleConsensusClustering(n_clusters=4, base_methods="magic").fit(X)


def test_the_consensus_is_the_same_for_the_same_seed_and_follows_scikit_learn_conventions():
    X, _ = blobs(seed=3)
    first = EnsembleConsensusClustering(n_clusters=3, n_runs=10, random_state=5).fit(X)
    again = clone(first).fit(X)
    assert np.array_equal(first.labels_, again.labels_)
    assert np.array_equal(first.consensus_, again.consensus_)


def test_the_consensus_of_a_loose_group_says_so():
    """Units that no base run keeps together get a low consensus, which the report flags as not a finding."""
    rng = np.random.RandomState(0)
    X = np.vstack([blobs(20, 2, seed=2)[0], rng.normal(size=(30, 16)) * 0.01])
    model = EnsembleConsensusClustering(n_clusters=6, n_runs=20, random_state=0).fit(X)
    loose = model.labels_[-1]
    assert model.cluster_consensus_[int(loose)] < max(model.cluster_consensus_.values())


def test_leiden_is_bisected_to_the_asked_number_of_communities():
    X, _ = blobs(k=5)
    labels, _ = leiden_with_k(knn_graph(unit_rows(X), 10), 5, seed=0)
    assert len(set(labels.tolist())) == 5


def test_anchors_are_mutual_nearest_neighbours_across_languages():
    X = unit_rows(np.array([[1, 0.0], [0, 1], [1, 0.1], [0.1, 1]]))
    langs = np.array(["en", "en", "fr", "fr"])
    pairs = {tuple(p) for p in mutual_nearest_pairs(X, langs, "en", "fr", 1).tolist()}
    assert pairs == {(2, 0), (3, 1)}


def test_alignment_moves_the_smaller_language_onto_the_reference_and_leaves_the_reference_alone():
    rng = np.random.RandomState(0)
    themes = rng.normal(size=(3, 32))
    shift = rng.normal(size=32) * 2
    en = np.repeat(themes, 10, axis=0) + rng.normal(scale=0.2, size=(30, 32))
    fr = np.repeat(themes, 6, axis=0) + shift + rng.normal(scale=0.2, size=(18, 32))
    X, langs = np.vstack([en, fr]), np.array(["en"] * 30 + ["fr"] * 18)
    aligned = AnchorAligner().fit_transform(X, langs)
    assert np.allclose(aligned[:30], unit_rows(en))
    before = (unit_rows(fr) @ unit_rows(en).T).argmax(axis=1) // 10
    after = (aligned[30:] @ aligned[:30].T).argmax(axis=1) // 10
    truth = np.repeat(np.arange(3), 6)
    assert (after == truth).all() and (after == truth).mean() >= (before == truth).mean()
    assert np.allclose(np.linalg.norm(aligned, axis=1), 1.0)


def test_the_bandwidth_decides_how_many_anchors_a_unit_is_moved_by():
    rng = np.random.RandomState(1)
    en = rng.normal(size=(20, 16))
    fr = en[:12] + rng.normal(size=16) + rng.normal(scale=0.3, size=(12, 16))
    X, langs = np.vstack([en, fr]), np.array(["en"] * 20 + ["fr"] * 12)
    wide = AnchorAligner(bandwidth_scale=1e9).fit(X, langs)
    _, offsets, _ = wide.anchors_["fr"]
    # an all-wide bandwidth moves every unit by the anchors' average offset: one shift for the language
    assert np.allclose(wide.transform(X, langs)[20:], unit_rows(unit_rows(X)[20:] + offsets.mean(axis=0)))
    narrow = AnchorAligner(bandwidth_scale=1e-3).fit(X, langs).transform(X, langs)[20:]
    assert np.isfinite(narrow).all()
    assert not np.allclose(narrow, wide.transform(X, langs)[20:], atol=1e-3)  # a narrow one, by its nearest anchors


def test_a_language_too_small_for_anchors_is_left_as_it_is():
    X = unit_rows(np.random.RandomState(0).normal(size=(12, 8)))
    langs = np.array(["en"] * 10 + ["de"] * 2)
    aligner = AnchorAligner().fit(X, langs)
    assert aligner.reference_ == "en" and "de" not in aligner.n_anchor_pairs_
    assert np.allclose(aligner.transform(X, langs), X)


def test_the_evidence_for_k_favours_the_true_number_of_groups():
    from topicmap.metrics.number_of_themes import candidate_ks, k_evidence

    X, _ = blobs(n_per=20, k=4, seed=4)
    table, labels = k_evidence(unit_rows(X), candidate_ks(4, len(X), spread=2), n_runs=40)
    assert list(table["themes"]) == [2, 3, 4, 5, 6] and set(table["runs"]) == {40}  # each estimate says its runs
    best = table.loc[table["mean_theme_consensus"].idxmax(), "themes"]
    assert best <= 4 and table.set_index("themes").loc[4, "split_half_stability"] == 1.0
    assert set(labels) == {2, 3, 4, 5, 6}


def test_merges_name_the_themes_that_fold_into_one():
    from topicmap.metrics.number_of_themes import merges

    finer = np.array([0, 0, 1, 1, 2, 2])
    coarser = np.array([0, 0, 0, 0, 1, 1])
    assert merges(finer, coarser) == [([0, 1], 0)]


def test_instability_against_chance_scores_a_partition_by_what_random_labels_of_its_sizes_would_give():
    from topicmap.metrics.number_of_themes import instability_against_chance, matching_disagreement

    a = np.repeat([0, 1, 2], 30)
    assert matching_disagreement(a, (a + 1) % 3) == 0.0  # labels matched one-to-one before counting
    assert instability_against_chance(a, a) == 0.0
    shuffled = np.random.RandomState(1).permutation(a)
    assert instability_against_chance(a, shuffled) > 0.8  # no better than chance
    # 4 of 90 units moved: the same disagreement, but random labels of lopsided sizes disagree little too
    lopsided, balanced = np.r_[np.zeros(85, int), np.ones(5, int)], a
    moved_lopsided, moved_balanced = lopsided.copy(), balanced.copy()
    moved_lopsided[:4], moved_balanced[:4] = 1, 1
    assert matching_disagreement(lopsided, moved_lopsided) == matching_disagreement(balanced, moved_balanced)
    assert instability_against_chance(lopsided, moved_lopsided) > 3 * instability_against_chance(balanced, moved_balanced)


def test_the_scan_measures_every_k_and_the_eigengap_of_balanced_separated_groups_is_at_their_number():
    from topicmap.metrics.number_of_themes import CRITERIA, ambiguous_pairs, consensus_eigengap, k_scan

    blocks = np.kron(np.eye(3), np.ones((4, 4)))
    assert consensus_eigengap(blocks, 3) > 0.9 and consensus_eigengap(blocks, 2) < 1e-9
    assert ambiguous_pairs(blocks) == 0.0 and ambiguous_pairs(np.full((4, 4), 0.5)) == 1.0
    X, truth = blobs(n_per=20, k=5, seed=3)
    table, labels = k_scan(unit_rows(X), [3, 4, 5, 6, 7], n_runs=20)
    assert list(table["themes"]) == [3, 4, 5, 6, 7] and set(labels) == {3, 4, 5, 6, 7}
    assert {"stability", "instability_vs_chance", "silhouette", "pac", "eigengap", "largest_share"} <= set(table)
    assert CRITERIA["eigengap_3"](table) == 5 and adjusted_rand_score(truth, labels[5]) == 1.0


# --- how many themes: agreement with the runs times evenness, which a lopsided split cannot win ---------------


def test_evenness_is_one_for_equal_themes_and_near_zero_when_one_theme_holds_almost_everything():
    from topicmap.topics.number_of_themes import evenness

    assert evenness(np.repeat([0, 1, 2, 3], 25)) == pytest.approx(1.0)
    assert evenness(np.r_[np.zeros(97, int), [1, 2, 3]]) < 0.15
    assert evenness(np.zeros(10, int)) == 0.0
    assert evenness(np.array([5, 5, 9, 9])) == pytest.approx(1.0)  # labels need not be 0..k-1


def test_a_lopsided_split_cannot_win_the_number_of_themes_however_stable():
    import pandas as pd

    from topicmap.topics.number_of_themes import choose_number_of_themes

    scan = pd.DataFrame({"themes": [2, 3, 4, 5], "run_clusters": [2.0, 3.1, 4.0, 5.0],
                         "run_agreement": [1.0, 0.7, 0.9, 0.88], "evenness": [0.3, 0.9, 0.97, 0.96],
                         "split_half_stability": [1.0, 0.6, 0.9, 0.85]})
    scan["score"] = scan["run_agreement"] * scan["evenness"]
    assert choose_number_of_themes(scan) == 4  # not 2, the most stable and the most agreeing
    # a k whose base runs kept the units whole (Leiden found one community) is not a candidate
    whole = scan.assign(run_clusters=[1.0, 3.1, 4.0, 5.0], evenness=[0.99, 0.9, 0.97, 0.96])
    whole["score"] = whole["run_agreement"] * whole["evenness"]
    assert choose_number_of_themes(whole) == 4
    tie = scan.assign(score=[0.1, 0.8, 0.8, 0.8])
    assert choose_number_of_themes(tie) == 3  # ties: the fewer themes


def test_the_scan_finds_the_number_of_balanced_groups():
    from topicmap.topics.number_of_themes import candidate_numbers, choose_number_of_themes, scan_numbers_of_themes

    assert candidate_numbers((3, 20), 117) == list(range(3, 21))
    assert candidate_numbers((3, 20), 12) == [3, 4, 5, 6]  # two units per theme at least
    X, truth = blobs(n_per=20, k=5, seed=3)
    table, labels = scan_numbers_of_themes(unit_rows(X), [3, 4, 5, 6, 7], n_runs=20)
    assert choose_number_of_themes(table) == 5 and adjusted_rand_score(truth, labels[5]) == 1.0
    assert table.set_index("themes").loc[5, "evenness"] == pytest.approx(1.0)
