"""The Load page's refusals (views/uploads.py): one plain line, never the temporary folder's path,
the same wording for a case and for agency chronologies."""

from loaders.records import InputError, Problem
from loaders.safety import UnsafeInput
from views.uploads import refusal

TMP = "/tmp/joined-up-upload-abc123"


def test_problems_are_counted_and_listed_without_the_temporary_folder():
    problem = Problem(f"{TMP}/child-a.yaml:3", "date", "32/13/2016", "a date such as 22/05/2016")
    out = refusal(InputError([problem]), TMP, "the chronologies", "upload the returns again")
    assert out["error"].startswith("1 problem(s) in the chronologies; nothing was loaded.")
    assert out["problems"][0]["where"] == "child-a.yaml:3" and TMP not in str(out)


def test_an_unreadable_file_is_one_line_without_the_path():
    out = refusal(UnicodeDecodeError("utf-8", b"\xff", 0, 1, f"in {TMP}/a.csv"), TMP, "the chronologies", "retry")
    assert out["error"].startswith("The chronologies could not be read (") and TMP not in out["error"]
    assert "\n" not in out["error"]


def test_an_unsafe_upload_says_what_was_expected():
    out = refusal(UnsafeInput("at most 200 MB per file"), TMP, "the uploaded files", "upload them again")
    assert out == {"error": "The upload was refused; nothing was loaded. Expected at most 200 MB per file."}
