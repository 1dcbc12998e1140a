"""The app's events, read from the built Blocks: what a visitor's action asks for is written by
one event, which Gradio runs one at a time per page with the newest inputs ("always_last").

Class: two events writing the same output (Enter and the Send button, Find and an example, a
filter and the tab's update) ran at once and could finish out of order or write over each
other; the browser tests show it happening (test_browser, test_browser_tabs)."""

from __future__ import annotations

from tests.fakes import fake_app


def _writers(app, elem_id: str) -> list:
    [block] = [b for b in app.blocks.values() if getattr(b, "elem_id", None) == elem_id]
    return [fn for fn in app.fns.values() if block in fn.outputs]


def _triggers(app, fn) -> set[str]:
    return {f"{getattr(app.blocks[target], 'elem_id', None) or type(app.blocks[target]).__name__}"
            f".{event}" for target, event in fn.targets}


def test_every_way_of_asking_is_one_event_that_answers_after_the_answer_being_written() -> None:
    app = fake_app()
    writers = {fn.fn.__name__: fn for fn in _writers(app, "ftz-chat")}
    assert set(writers) == {"respond", "clear"}
    respond = writers["respond"]
    assert respond.trigger_mode == "always_last"
    assert _triggers(app, respond) == {"ftz-question.submit", "ftz-ask.click", "State.change"}
    # Clear stops that event (an answer still being written would otherwise refill the chat)
    clear_button = {target for target, _ in writers["clear"].targets}
    assert any(respond._id in dependency["cancels"] and clear_button & {
        target for target, _ in dependency["targets"]}
        for dependency in app.get_config_file()["dependencies"])


def test_every_way_of_searching_measures_is_one_event_with_the_newest_description() -> None:
    app = fake_app()
    [search] = _writers(app, "ftz-measures")
    assert search.trigger_mode == "always_last"
    assert _triggers(app, search) == {"ftz-profile.submit", "ftz-find.click", "State.change"}
    # an example fills the box and asks for a search through that event, as the Ask tab does
    [asked] = [app.blocks[target] for target, event in search.targets if event == "change"]
    askers = [fn for fn in app.fns.values() if asked in fn.outputs]
    assert len(askers) == 4  # three examples and the Ask tab's "find measures" button
    assert all(fn.trigger_mode == "once" and fn.fn is not search.fn for fn in askers)
