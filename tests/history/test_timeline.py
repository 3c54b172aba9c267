"""The lecture's timeline: in order, every link a real page, the lecture's own words where the deck has them."""

from __future__ import annotations

import pytest

from ui.catalog import PAGES
from vision_core.errors import BadInput
from vision_core.history import EVENTS, LANES, event, events_in

REQUIRED = {"niepce": 1826, "hubel_wiesel": 1959, "summer_vision": 1966, "neocognitron": 1980, "lenet": 1989,
            "sift": 1999, "viola_jones": 2001, "dbn": 2006, "imagenet": 2009, "alexnet": 2012, "vgg": 2014,
            "googlenet": 2014, "gan": 2014, "resnet": 2015, "densenet": 2017}
"""The events issue 16 names, with the year each was first published."""


def test_years_in_order_and_keys_unique():
    years = [e.year for e in EVENTS]
    assert years == sorted(years) and years[0] == 1826 and years[-1] == 2017
    assert len({e.key for e in EVENTS}) == len(EVENTS)


def test_the_issue_events_with_their_years():
    assert {k: event(k).year for k in REQUIRED} == REQUIRED


def test_every_link_names_a_real_page_and_every_lane_is_used():
    urls = {p.url_path for p in PAGES}
    assert not [e.key for e in EVENTS if e.page not in urls]
    assert {e.lane for e in EVENTS} == set(LANES)
    assert all(events_in(lane) for lane in LANES)


def test_the_lecture_words_quoted_as_the_deck_writes_them():
    assert event("imagenet").words == "22K categories and 14M images"
    assert "1,000 object classes, 1,431,167 images" in event("ilsvrc").words
    assert "pre-trained one layer at a time" in event("dbn").words
    assert "by a significant margin over shallow machine learning methods" in event("alexnet").words
    assert "7M network parameters" in event("googlenet").words and "25.5M network parameters" in event("resnet").words
    assert "only 3x3 convolutions" in event("vgg").words
    assert event("gan").gloss and "rostos não existem" in event("gan").words
    assert "CVPR 2001" in event("viola_jones").source and "1999" in event("sift").source
    assert "1990" in event("neocognitron").context, "the deck's date is named next to the paper's"
    assert "eight hours" in event("niepce").context and "Le Gras" in event("niepce").source


def test_every_event_says_something_and_names_its_source():
    for e in EVENTS:
        assert e.told and e.source and e.title, e.key


def test_unknown_keys_list_the_choices():
    with pytest.raises(BadInput, match="alexnet"):
        event("lenet6")
    with pytest.raises(BadInput, match="Deep CNNs"):
        events_in("Transformers")
