"""Topic models: one interface, one result; the cross-lingual model's themes cross languages and hold still."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from topicmap.config import Settings
from topicmap.representations import build_representations, units_from
from topicmap.topics import MODELS, CrossLingualTopicModel, NmfTopicModel, TopicResult, fit_model
from topicmap.topics.words import distinct_top_terms


def synthetic_bilingual(n_per_theme: int = 12, seed: int = 0):
    """Three themes in two languages: each language adds its own offset to the theme's direction."""
    rng = np.random.RandomState(seed)
    themes, language = rng.normal(size=(3, 64)), {"fr": rng.normal(size=64) * 1.5, "en": rng.normal(size=64) * 1.5}
    rows, vectors = [], []
    words = {0: ("énergie", "energy"), 1: ("puces", "chips"), 2: ("universités", "universities")}
    for theme in range(3):
        for lang in ("fr", "en"):
            for i in range(n_per_theme):
                vectors.append(themes[theme] + language[lang] + rng.normal(scale=0.6, size=64))
                word = words[theme][0 if lang == "fr" else 1]
                rows.append({"id": f"{lang}{theme}-{i}", "doc": f"{lang}{theme}", "lang": lang,
                             "text": f"{word} {word} texte{i} mot{theme}", "theme": theme})
    units = pd.DataFrame(rows)
    return units, np.asarray(vectors, dtype=np.float32)


@pytest.fixture(scope="module")
def synthetic():
    units, vectors = synthetic_bilingual()
    return units, build_representations(units, Settings(), embeddings=vectors)


def test_every_registered_model_returns_the_one_result_type(seed_segmentation):
    representations = build_representations(units_from(seed_segmentation.paragraphs), Settings())
    for name in MODELS:
        result = fit_model(name, representations, Settings())
        assert isinstance(result, TopicResult) and result.name == name
        assert list(result.assignments["id"]) == list(representations.ids)


def test_models_follow_scikit_learn_conventions():
    model = CrossLingualTopicModel(n_topics=4, random_state=3)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "labels_")


def test_aligning_the_languages_puts_each_theme_in_both_languages(synthetic):
    units, representations = synthetic
    raw = CrossLingualTopicModel(n_topics=3, alignment="none").fit(representations).labels_
    aligned = CrossLingualTopicModel(n_topics=3, alignment="anchors").fit(representations).labels_
    assert adjusted_rand_score(units["theme"], aligned) > 0.9
    assert adjusted_rand_score(units["theme"], aligned) > adjusted_rand_score(units["theme"], raw)


def confounded_bilingual(seed: int = 0):
    """English news and English help pages, and French help pages only: the French part is about other things."""
    rng = np.random.RandomState(seed)
    news, help_pages = rng.normal(size=64), rng.normal(size=64)
    offset = {"en": rng.normal(size=64) * 1.5, "fr": rng.normal(size=64) * 1.5}
    rows, vectors = [], []
    for lang, subject, direction, n in (("en", "news", news, 30), ("en", "help", help_pages, 15),
                                        ("fr", "help", help_pages, 30)):
        for i in range(n):
            vectors.append(direction + offset[lang] + rng.normal(scale=0.6, size=64))
            rows.append({"id": f"{lang}-{subject}-{i}", "doc": f"{lang}-{subject}-{i}", "lang": lang,
                         "text": f"{subject} texte{i}", "subject": subject})
    return pd.DataFrame(rows), np.asarray(vectors, dtype=np.float32)


def test_alignment_keeps_apart_what_only_one_language_covers():
    """Centring each language subtracts what French is about with the language; anchors do not."""
    units, vectors = confounded_bilingual()
    representations = build_representations(units, Settings(), embeddings=vectors)

    def purity(labels):
        table = pd.crosstab(labels, units["subject"])
        return table.max(axis=1).sum() / table.values.sum()

    anchored = CrossLingualTopicModel(n_topics=2, alignment="anchors").fit(representations).labels_
    centred = CrossLingualTopicModel(n_topics=2, alignment="center").fit(representations).labels_
    assert purity(anchored) == 1.0 > purity(centred)
    help_rows = units["subject"] == "help"
    assert len(set(anchored[help_rows.to_numpy()])) == 1  # the help pages of both languages are one theme


def test_an_unknown_alignment_or_clustering_is_refused(synthetic):
    _, representations = synthetic
    with pytest.raises(ValueError, match="alignment must be one of"):
        CrossLingualTopicModel(alignment="magic").fit(representations)
    with pytest.raises(ValueError, match="clustering must be one of"):
        CrossLingualTopicModel(clustering="magic").fit(representations)


def test_the_label_names_the_theme_in_both_languages(synthetic):
    _, representations = synthetic
    topics = CrossLingualTopicModel(n_topics=3).fit(representations).result_.topics
    assert {frozenset(t.label.split(" / ")) for t in topics} == {
        frozenset({"énergie", "energy"}), frozenset({"puces", "chips"}), frozenset({"universités", "universities"})}


def test_the_themes_do_not_depend_on_the_seed_on_the_seeds(seed_segmentation):
    representations = build_representations(units_from(seed_segmentation.paragraphs), Settings())
    labels = [CrossLingualTopicModel(random_state=s).fit(representations).labels_ for s in (42, 7, 123)]
    assert min(adjusted_rand_score(a, b) for a, b in itertools.combinations(labels, 2)) >= 0.85


def test_assignments_do_not_change_when_embeddings_move_by_one_millionth(seed_segmentation):
    representations = build_representations(units_from(seed_segmentation.paragraphs), Settings())
    labels = CrossLingualTopicModel().fit(representations).labels_
    moved = representations.embeddings + np.random.RandomState(1).normal(scale=1e-6, size=representations.embeddings.shape)
    shifted = build_representations(representations.units, Settings(), embeddings=moved)
    assert np.array_equal(CrossLingualTopicModel().fit(shifted).labels_, labels)


def test_asking_for_more_topics_than_units_warns_and_caps(synthetic, caplog):
    _, representations = synthetic
    with caplog.at_level(logging.WARNING):
        model = CrossLingualTopicModel(n_topics=100_000).fit(representations)
    assert "only 72 units" in caplog.text and len(set(model.labels_)) <= 72


def test_a_large_corpus_is_fitted_on_a_sample_and_every_unit_assigned(synthetic):
    units, representations = synthetic
    model = CrossLingualTopicModel(n_topics=3, max_fit_units=30).fit(representations)
    assert model.result_.params["n_fit_units"] == 30
    assert adjusted_rand_score(units["theme"], model.labels_) > 0.9


def test_a_word_never_stands_beside_an_ngram_holding_it():
    words = distinct_top_terms(np.array([0.9, 0.8, 0.7, 0.6]), ["united", "united states", "states", "trade"], 4)
    assert [w for w, _ in words] == ["united", "states", "trade"]  # "united states" holds the better "united"


def test_nmf_honours_the_document_unit(seed_segmentation):
    documents = units_from(seed_segmentation.paragraphs, "document")
    result = NmfTopicModel(n_topics=2).fit(build_representations(documents, Settings())).result_
    assert len(result.assignments) == seed_segmentation.paragraphs["doc"].nunique()


def test_a_bilingual_theme_is_represented_in_each_language_first(synthetic):
    units, representations = synthetic
    topic = CrossLingualTopicModel(n_topics=3).fit(representations).result_.topics[0]
    lang_of = dict(zip(units["id"], units["lang"]))
    assert {lang_of[i] for i in topic.representative_ids[:2]} == {"fr", "en"}


def test_evaluation_of_a_large_corpus_refits_on_a_bounded_sample(synthetic, monkeypatch):
    from topicmap.metrics import evaluation

    _, representations = synthetic
    monkeypatch.setattr(evaluation, "MAX_UNITS_FOR_EVALUATION", 40)
    settings = Settings(stability_seeds=(42, 7), topics=3)
    result = evaluation.evaluate_models(["crosslingual"], representations, settings, {})
    assert result["sampled"] and result["evaluated_units"] == 40
    assert result["models"]["crosslingual"]["stability_ari"] > 0.8


def test_on_a_large_corpus_the_presented_themes_are_measured_on_every_unit(synthetic, monkeypatch):
    """The comparison refits on a sample, but a theme's stability flag must be about the theme the report shows."""
    from topicmap.metrics import evaluation

    _, representations = synthetic
    monkeypatch.setattr(evaluation, "MAX_UNITS_FOR_EVALUATION", 40)
    settings = Settings(stability_seeds=(42, 7), topics=3)
    shown = CrossLingualTopicModel(n_topics=3, random_state=42).fit(representations).result_
    result = evaluation.evaluate_models(["crosslingual"], representations, settings, {"crosslingual": shown})
    on_all = result["primary_on_every_unit"]
    assert result["total_units"] == len(representations) > result["evaluated_units"]
    assert set(on_all["topic_overlap_across_seeds"]) == {str(t.id) for t in shown.topics}
    assert on_all["n_topics"] == shown.n_topics and on_all["stability_ari"] > 0.8


def test_a_small_corpus_has_no_separate_measures_of_the_presented_themes(synthetic):
    from topicmap.metrics import evaluation

    _, representations = synthetic
    result = evaluation.evaluate_models(["crosslingual"], representations, Settings(stability_seeds=(42, 7), topics=3), {})
    assert not result["sampled"] and result["primary_on_every_unit"] is None


def test_a_language_with_a_handful_of_a_themes_paragraphs_does_not_name_it():
    from topicmap.topics.words import joint_label

    words = {"en": [("trump", 1.0), ("president", 0.8)], "fr": [("rpc", 1.0)]}
    assert joint_label(words, ["en", "fr"], None, {"en": 95, "fr": 5}) == {"en": "trump"}
    assert joint_label(words, ["en", "fr"], None, {"en": 60, "fr": 40}) == {"en": "trump", "fr": "rpc"}


def test_the_two_halves_of_a_label_are_chosen_to_say_the_same_thing():
    from topicmap.representations.embeddings import embed_terms
    from topicmap.topics.words import joint_label

    # "semiconductors" is the English paragraphs' closest word by a little, but "chips" translates "puces"
    words = {"fr": [("puces", 0.60), ("pays", 0.50)], "en": [("semiconductors", 0.62), ("chips", 0.60)]}
    label = joint_label(words, ["fr", "en"], lambda term: embed_terms([term], "use")[0], {"fr": 10, "en": 10})
    assert label == {"fr": "puces", "en": "chips"}


def test_the_two_halves_of_a_label_are_chosen_among_words_used_of_one_thing():
    from topicmap.representations.embeddings import embed_terms
    from topicmap.topics.words import joint_label

    # as words, "materials" is as close to "matériel" as "hardware" is (0.74, 0.72); the paragraphs say otherwise
    words = {"fr": [("matériel", 0.30)], "en": [("materials", 0.30), ("hardware", 0.28)]}
    vector_of = lambda term: embed_terms([term], "use")[0]  # noqa: E731
    assert joint_label(words, ["fr", "en"], vector_of, {"fr": 10, "en": 10}) == {"fr": "matériel", "en": "materials"}
    used_alike = {("matériel", "materials"): 0.3, ("matériel", "hardware"): 0.8}
    label = joint_label(words, ["fr", "en"], vector_of, {"fr": 10, "en": 10}, lambda fr, en: used_alike[fr, en])
    assert label == {"fr": "matériel", "en": "hardware"}


#: Per theme, French and English paragraphs. Theme 0 joins two subjects under a false friend: computer
#: hardware ("matériel") in French, materials science ("materials") in English.
FALSE_FRIEND_CORPUS = {
    0: (["Le matériel informatique des centres de calcul vieillit et les serveurs tombent en panne.",
         "Les fabricants livrent du matériel informatique neuf : des ordinateurs, des serveurs et des disques.",
         "Le matériel des serveurs de calcul est remplacé tous les cinq ans par des ordinateurs plus rapides.",
         "Sans matériel informatique fiable, les serveurs et les ordinateurs du laboratoire restent à l'arrêt."],
        ["New materials for batteries are discovered by chemists who test polymers and alloys.",
         "The chemists measure how the materials conduct heat, and which polymers resist corrosion.",
         "Stronger materials such as alloys and ceramics let engineers build lighter aircraft.",
         "The laboratory synthesises materials, polymers and alloys, for solar cells and batteries."]),
    1: (["Les universités forment chaque année plus d'étudiants en mathématiques.",
         "Les étudiants des universités suivent des cours et passent des examens.",
         "Les universités recrutent des professeurs pour enseigner aux étudiants.",
         "Dans les universités, les étudiants préparent leur diplôme avec leurs professeurs."],
        ["Universities train more students in mathematics every year.",
         "Students at universities attend lectures and sit exams.",
         "Universities hire professors to teach their students.",
         "At universities, students prepare their degree with their professors."]),
    2: (["Les centrales produisent l'électricité qui alimente le réseau national.",
         "Le réseau électrique transporte l'électricité des centrales vers les villes.",
         "Les coupures d'électricité frappent le réseau quand les centrales s'arrêtent.",
         "L'électricité des centrales solaires entre dans le réseau pendant la journée."],
        ["Power stations produce the electricity that feeds the national grid.",
         "The grid carries electricity from power stations to the cities.",
         "Electricity cuts hit the grid when power stations shut down.",
         "Electricity from solar power stations enters the grid during the day."]),
}


def units_of_themes(themes: dict[int, tuple[list[str], list[str]]]) -> tuple[pd.DataFrame, np.ndarray]:
    """Units of a corpus given as theme -> (French paragraphs, English paragraphs), and each unit's theme."""
    rows, labels = [], []
    for theme, (french, english) in themes.items():
        for lang, paragraphs in (("fr", french), ("en", english)):
            rows += [{"id": f"{lang}{theme}-{i}", "doc": f"{lang}{theme}", "lang": lang, "text": text}
                     for i, text in enumerate(paragraphs)]
            labels += [theme] * len(paragraphs)
    return pd.DataFrame(rows), np.array(labels)


def test_a_label_of_false_friends_is_flagged_by_the_paragraphs_that_use_them():
    from topicmap.topics.words import describe_topics

    units, labels = units_of_themes(FALSE_FRIEND_CORPUS)
    topics = {t.id: t for t in describe_topics(labels, build_representations(units, Settings()), 8, 2)}
    # no pair of phrases agrees: each language's own phrase is given, and flagged as differing
    assert topics[0].label_by_lang == {"fr": "matériel informatique", "en": "materials"}
    used, one_theme, two_themes = topics[0].label_usage
    assert used < (one_theme + two_themes) / 2  # their paragraphs are as far apart as two themes'
    assert topics[0].label_halves_agree() is False
    assert topics[1].label_halves_agree() and topics[2].label_halves_agree()
    assert topics[1].label_by_lang == {"fr": "universités", "en": "universities"}


def test_a_theme_is_named_by_words_close_to_its_paragraphs_not_by_frequent_filler():
    from topicmap.topics.words import by_meaning
    from topicmap.representations.embeddings import embed_terms

    paragraphs = embed_terms(["Les fabricants de puces électroniques manquent de semi-conducteurs.",
                              "La production de puces avancées dépend des machines de lithographie."], "use")
    centroid = paragraphs.mean(axis=0) / np.linalg.norm(paragraphs.mean(axis=0))
    candidates = [("directement", 0.9), ("quatre", 0.8), ("puces", 0.5)]
    ranked = by_meaning(candidates, embed_terms([w for w, _ in candidates], "use"), centroid)
    assert ranked[0][0] == "puces"


def test_a_quote_is_a_full_paragraph_and_never_shown_twice():
    from topicmap.topics.words import quotable

    texts = ["Comment la Chine gagne du terrain. La stratégie chinoise combine trois éléments clés:",
             "La Chine investit massivement dans les puces et forme des milliers d'ingénieurs chaque année.",
             "La Chine investit massivement dans les puces et forme des milliers d'ingénieurs chaque année.",
             "Les laboratoires publient leurs modèles en source ouverte, ce qui accélère leur adoption."]
    assert quotable([0, 1, 2, 3], texts, 2) == [1, 3]
    assert quotable([0], texts, 2) == [0]  # a lead-in line only when nothing else is left


def test_the_consensus_sample_size_is_a_setting_that_reaches_every_cross_lingual_variant():
    from topicmap.topics.registry import model_for

    settings = Settings(consensus_sample_units=40)
    assert {model_for(name, settings).max_fit_units for name in ("crosslingual", "crosslingual_centred",
                                                                  "crosslingual_raw")} == {40}


def test_every_model_takes_the_number_of_topics_as_auto_or_an_int_and_says_which_clustering():
    from topicmap.topics.bertopic import BertopicTopicModel
    from topicmap.topics.nmf import NmfTopicModel

    units, vectors = synthetic_bilingual()
    representations = build_representations(units, Settings(), embeddings=vectors)
    with pytest.raises(ValueError, match="HDBSCAN finds the number"):
        BertopicTopicModel(n_topics=3).fit(representations)  # an int never swaps the clustering silently
    assert BertopicTopicModel(n_topics=3, clustering="kmeans").fit(representations).result_.n_topics == 3
    with pytest.raises(ValueError, match="'auto' or a positive int"):
        NmfTopicModel(n_topics=None).fit(representations)
    assert NmfTopicModel().get_params()["n_topics"] == "auto"


def test_a_fitted_model_is_cached_under_every_parameter_it_holds():
    from topicmap.pipeline import model_key

    base = Settings()
    assert model_key("crosslingual", base) != model_key("crosslingual", Settings(consensus_sample_units=40))
    assert model_key("crosslingual", base) != model_key("crosslingual", Settings(seed=7))
    assert model_key("nmf", base) != model_key("nmf", Settings(nmf_topic_range=(3, 5)))
    assert model_key("bertopic", base) == model_key("bertopic", Settings(consensus_sample_units=40))


def test_on_a_sampled_fit_the_number_of_themes_is_chosen_once_for_every_seed_and_checked_on_two_samples(synthetic):
    from topicmap.metrics.evaluation import seeded_runs

    class Bar:
        def update(self):
            pass

    _, representations = synthetic  # 72 units, three themes in two languages
    settings = Settings(consensus_sample_units=30, stability_seeds=(42, 7, 123))
    runs = seeded_runs("crosslingual", representations, settings, [42, 7, 123], {}, Bar())
    first = runs[0].params
    assert first["n_topics_chosen_by"] == "scan" and first["k_agreement"]["3"] >= 0.8
    assert list(first["k_agreement"])[-1] == "3"  # tried from the best score down until two samples agree
    assert first["n_topics_found"] == 3  # the synthetic corpus's three themes
    assert {run.n_topics for run in runs} == {3} and all(r.params["n_topics_chosen_by"] == "given" for r in runs[1:])


@pytest.mark.parametrize("n_units, shared", [(4000, 0), (3000, 0), (1604, 1396), (1500, 1500)])
def test_the_number_of_themes_is_checked_on_two_draws_of_the_fits_own_size_sharing_as_few_units_as_they_can(
        n_units, shared):
    """A corpus just over the fit's size (1,604 paragraphs, 1,500 fitted) was checked on halves of 802, and no
    number held: the check asked whether half the corpus would give the same themes, not another draw of the fit."""
    from topicmap.topics.crosslingual import agreement_samples

    first, second = agreement_samples(n_units, 1500, np.random.RandomState(0))
    assert len(first) == len(second) == min(1500, n_units)
    assert len(np.intersect1d(first, second)) == shared
    assert (np.diff(first) > 0).all() and (np.diff(second) > 0).all()


def test_the_primary_models_variants_are_fitted_at_the_number_of_themes_it_chose(
        synthetic, tmp_path):
    from topicmap.metrics.evaluation import seeded_runs
    from topicmap.pipeline import fit_models

    class Bar:
        def update(self):
            pass

    _, representations = synthetic
    settings = Settings(consensus_sample_units=30, cache_dir=tmp_path)
    fits = fit_models(["crosslingual_raw", "crosslingual", "bertopic"], representations, settings)
    assert list(fits) == ["crosslingual_raw", "crosslingual", "bertopic"]  # the caller's order is kept
    assert fits["crosslingual"].params["n_topics_chosen_by"] == "scan"
    variant = fits["crosslingual_raw"].params
    assert variant["n_topics_chosen_by"] == "given" and variant["n_topics"] == fits["crosslingual"].n_topics
    assert "k_agreement" not in variant and "k_scan" not in variant  # no second choice of k
    assert fits["bertopic"].params["clustering"] == "hdbscan"  # another estimator keeps its own way
    # the evaluation's seeds keep the run's k, even on a sample of the units where nothing is reused
    runs = seeded_runs("crosslingual", representations.subset(np.arange(60)), settings, [7, 123], {}, Bar(), fits)
    assert all(run.params["n_topics_chosen_by"] == "given" for run in runs)
    assert {run.n_topics for run in runs} == {fits["crosslingual"].n_topics}


def test_on_a_large_corpus_the_comparison_models_are_fitted_once_on_the_comparisons_sample(
        synthetic, tmp_path, monkeypatch):
    from topicmap.metrics import evaluation
    from topicmap.pipeline import fit_models

    _, representations = synthetic  # 72 units; "large" above 40 here
    monkeypatch.setattr(evaluation, "MAX_UNITS_FOR_EVALUATION", 40)
    settings = Settings(cache_dir=tmp_path, stability_seeds=(42, 7))
    fits = fit_models(["crosslingual", "nmf"], representations, settings)
    rows = evaluation.comparison_rows(len(representations), settings.seed)
    assert len(fits["crosslingual"].labels) == 72  # the report's model: every unit
    assert list(fits["nmf"].assignments["id"]) == list(representations.ids[rows])  # the comparison's sample
    refitted = []
    monkeypatch.setattr(evaluation, "measure_model", lambda runs, *args: refitted.append(runs) or {"n_topics": 0})
    evaluation.evaluate_models(["crosslingual", "nmf"], representations, settings, fits)
    nmf_runs = refitted[1]
    assert nmf_runs[0] is fits["nmf"]  # the analysis seed's fit is the run's own, not fitted again


@pytest.mark.parametrize("n_units", [1, 2])
@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_fits_a_corpus_of_one_or_two_paragraphs(name, n_units):
    # issue 31: crosslingual_ward on one paragraph raised "Cannot take a larger sample than population"
    units, vectors = synthetic_bilingual(n_per_theme=1)
    representations = build_representations(units.iloc[:n_units], Settings(), embeddings=vectors[:n_units])
    result = fit_model(name, representations, Settings())
    assert 1 <= result.n_topics <= n_units
    assert list(result.assignments["id"]) == list(representations.ids)


def test_a_pair_of_non_translations_is_rejected_for_an_agreeing_pair():
    """"materials / matériel" look alike as words but their paragraphs speak of two things (issue 34)."""
    from topicmap.representations.embeddings import embed_terms
    from topicmap.topics.names import Candidate, choose_pair, content_words

    vector_of = lambda term: embed_terms([term], "use")[0]  # noqa: E731
    english = [Candidate(("materials",), "materials", score=1.0), Candidate(("hardware",), "hardware", score=0.8)]
    french = [Candidate(("matériel",), "matériel", score=1.0)]
    used_alike = {"materials": 0.3, "hardware": 0.8}
    usage = lambda en, fr: used_alike[en.shown]  # noqa: E731
    en, fr, agree = choose_pair(english, french, vector_of, usage, 0.65, set(), ("en", "fr"))
    assert (en.shown, fr.shown, agree) == ("hardware", "matériel", True)
    # without an agreeing pair, each language's best phrase, marked as not agreeing
    en, fr, agree = choose_pair(english[:1], french, vector_of, usage, 0.65, set(), ("en", "fr"))
    assert (en.shown, fr.shown, agree) == ("materials", "matériel", False)
    # a word another theme's name holds is not used again
    en, fr, _ = choose_pair(english, french, vector_of, usage, 0.65, content_words("hardware", "en"), ("en", "fr"))
    assert en.shown == "materials"


def test_when_no_shortlisted_pair_agrees_a_translation_further_down_names_the_theme():
    """A theme of a corpus that is not parallel: each language's best phrases say its own part ("machines
    virtuelles / boot process"); a phrase that translates and is used of the same thing is further down, and
    names it (issue 34)."""
    import numpy as np

    from topicmap.representations.embeddings import embed_terms
    from topicmap.topics.names import Candidate, _choose

    term_vectors = lambda terms: embed_terms(list(terms), "use")  # noqa: E731
    usage_vectors = np.eye(4)  # rows 0-1: booting in English, 2: virtual machines in French, 3: booting in French
    usage_vectors[3] = (usage_vectors[0] + usage_vectors[1]) / np.sqrt(2)
    shortlists = {"fr": [Candidate(("machines", "virtuelles"), "machines virtuelles", np.array([2]), 1.0)],
                  "en": [Candidate(("boot", "process"), "boot process", np.array([0, 1]), 1.0)]}
    further = Candidate(("processus", "de", "démarrage"), "processus de démarrage", np.array([3]), 0.4)
    near_miss = Candidate(("démarrage",), "démarrage", np.array([3]), 0.9)  # used alike, but no translation (0.57)
    widened = {"fr": shortlists["fr"] + [near_miss, further], "en": shortlists["en"]}
    name = _choose(0, shortlists, widened, term_vectors, usage_vectors, 0.5, set())
    assert name.by_lang == {"fr": "processus de démarrage", "en": "boot process"}
    assert name.agreement >= 0.7 and name.used_alike > 0.5
    # with nothing further down that translates, the shortlists' own phrases, which the check flags
    name = _choose(0, shortlists, {"fr": shortlists["fr"] + [near_miss], "en": shortlists["en"]}, term_vectors,
                   usage_vectors, 0.5, set())
    assert name.by_lang == {"fr": "machines virtuelles", "en": "boot process"} and name.used_alike < 0.5


def test_two_names_share_a_word_when_a_reader_would_say_so_whatever_its_ending():
    from topicmap.topics.names import content_words

    assert content_words("objets", "fr") & content_words("objet texte", "fr")
    assert content_words("drawing objects", "en") & content_words("object", "en")


def test_a_theme_gets_an_agreeing_name_an_earlier_theme_held_a_word_of_when_that_theme_can_be_named_otherwise():
    """Names are chosen largest theme first, and no two share a word. On the LibreOffice help pages "rotation de
    l'objet / rotation" held "objet", so the theme on text frames was named "texte recherché / frame", flagged,
    though "objet texte / object" agreed; "rotation" alone agrees too, so the names are traded (issue 34). A
    trade never costs another theme its agreeing name."""
    from topicmap.topics.names import ThemeName, trade_names

    def named(fr: str, en: str, agrees: bool = True) -> ThemeName:
        return ThemeName({"fr": fr, "en": en}, agrees=agrees)

    options = {0: [named("rotation de l'objet", "rotation"), named("rotation", "rotation")],
               1: [named("objet texte", "object"), named("texte recherché", "frame", agrees=False)]}

    def choose(theme: int, taken: set[str]) -> ThemeName:
        from topicmap.topics.names import name_words

        return next(name for name in options[theme] if not name_words(name) & taken)

    first = {0: options[0][0], 1: options[1][1]}
    traded = trade_names(first, [0, 1], choose)
    assert traded[0].by_lang == {"fr": "rotation", "en": "rotation"}
    assert traded[1].by_lang == {"fr": "objet texte", "en": "object"} and traded[1].agrees
    options[0][1] = named("rotation", "rotation", agrees=False)  # the other name of theme 0 would not agree
    assert trade_names(first, [0, 1], choose) == first


def test_noun_phrases_are_found_in_the_text_and_never_span_a_number():
    from topicmap.topics.names import noun_phrases

    french = noun_phrases("Les centres de données de la Chine consomment 12 mois de 30 jours d'électricité.", "fr")
    assert ("centres", "de", "données") in french and ("mois", "de", "jours") not in french
    english = noun_phrases("A year of 12 months of 30 days. Materials science uses new materials.", "en")
    assert ("materials", "science") in english and ("months", "of", "days") not in english


def test_seed_theme_names_are_phrases_of_their_paragraphs_and_share_no_word(seed_segmentation):
    from topicmap.representations.tokens import segments
    from topicmap.topics.names import content_words

    representations = build_representations(units_from(seed_segmentation.paragraphs), Settings())
    result = CrossLingualTopicModel().fit(representations).result_
    labels, langs, texts = result.labels, representations.langs, representations.texts
    seen: dict[str, int] = {}
    for topic in result.topics:
        if topic.id == -1:
            continue
        assert topic.label != "materials / matériel"
        for lang, name in topic.label_by_lang.items():
            words = tuple(segments(name)[0]) if segments(name) else ()
            held = [any(tuple(run[i:i + len(words)]) == words for run in segments(texts[row])
                        for i in range(len(run) - len(words) + 1))
                    for row in np.flatnonzero((labels == topic.id) & (langs == lang))]
            assert words and any(held), (topic.id, lang, name)
            assert 1 <= len(words) <= 4
            for word in content_words(name, lang):
                assert seen.setdefault(word, topic.id) == topic.id, (word, topic.id)





AI_RACE_THEME = (["La compétition mondiale pour l'intelligence artificielle entre dans une phase décisive.",
                  "Pékin veut définir les standards technologiques de la décennie.",
                  "Les standards technologiques du siècle seront fixés par Pékin."],
                 ["The global competition for artificial intelligence enters a decisive phase.",
                  "China leads the global competition in artificial intelligence.",
                  "Nations race in the global competition to lead artificial intelligence.",
                  "The global competition for artificial intelligence shapes the decade.",
                  "Whoever wins the global competition in artificial intelligence sets the rules."])


def test_a_theme_with_few_paragraphs_in_a_language_may_be_named_by_a_phrase_of_one_of_them(monkeypatch):
    """Two of a theme's three French paragraphs using a phrase is a far stricter demand than two of forty: only
    "standards technologiques" and "pékin" qualify, and neither says what the English say. When no pair agrees
    and a language has fewer than ``FEW_PARAGRAPHS`` paragraphs in the theme, a phrase of one of them is tried,
    and kept only in a pair that passes both checks (issue 34; on the seeds, "world / compétition mondiale")."""
    from topicmap.topics import names
    from topicmap.topics.names import MIN_SUPPORT, Candidate, least_support
    from topicmap.topics.words import describe_topics

    used_by = lambda *rows: Candidate(("x",), "x", np.array(rows))  # noqa: E731
    assert least_support([used_by(0), used_by(0, 1)]) == MIN_SUPPORT
    assert least_support([used_by(0), used_by(3)]) == 1  # never more than the best-supported phrase has
    units, labels = units_of_themes({0: AI_RACE_THEME, 1: FALSE_FRIEND_CORPUS[1], 2: FALSE_FRIEND_CORPUS[2]})
    representations = build_representations(units, Settings())
    race = describe_topics(labels, representations, 8, 2)[0]
    assert race.label_by_lang["fr"] == "intelligence artificielle" and race.label_halves_agree()
    monkeypatch.setattr(names, "FEW_PARAGRAPHS", 0)  # two paragraphs asked of every phrase
    race = describe_topics(labels, representations, 8, 2)[0]
    assert race.label_by_lang["fr"] in ("standards technologiques", "pékin") and not race.label_halves_agree()