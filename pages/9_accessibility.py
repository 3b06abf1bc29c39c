"""Accessibility statement for the tracker, in the form of GOV.UK's model statement for
public sector websites (WCAG 2.2 AA; the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web

web.require_dashboard()

st.title("Accessibility statement")
st.markdown(
    "This statement applies to the Criminal Justice Board recommendations tracker: the "
    "dashboard the Cambridgeshire and Peterborough Criminal Justice Board and its "
    "sub-groups use to follow inspection recommendations. The Board's secretariat runs it.\n\n"
    "We want as many people as possible to be able to use it. You should be able to:\n\n"
    "- zoom in up to 200% without the text spilling off the screen or anything you need "
    "being cut off\n"
    "- move between pages, upload a file, read its problems and commit it with a keyboard "
    "alone\n"
    "- read every chart as a sentence and as a table of its numbers\n"
    "- tell the pages apart by their titles in the browser tab\n"
    "- tell every status and RAG rating by its word, not by its colour alone\n\n"
    "[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier "
    "to use if you have a disability."
)

st.header("How accessible this service is")
st.markdown(
    "We know some parts are not fully accessible:\n\n"
    "- tables are drawn by Streamlit's data grid on a canvas; we have not yet confirmed "
    "that screen readers read every cell well, and the Tab key can stop several times "
    "inside a table before it moves on\n"
    "- on the Upload page, Space opens the file dialog from the upload button but Enter "
    "does not\n"
    "- the session ends after 30 minutes without use, with no warning first\n"
    "- the board pack PDF has not been checked for accessibility\n"
    "- we have not yet tested with screen readers (JAWS, NVDA, VoiceOver) or with people "
    "who use them"
)

st.header("Feedback and contact information")
st.markdown(
    "If you need information from the tracker in a different format, such as accessible "
    "PDF, large print, easy read or a spreadsheet, contact the Board secretariat (the "
    "contact on every board pack and meeting invitation). We will consider your request "
    "and get back to you within 5 working days."
)

st.header("Reporting accessibility problems with this service")
st.markdown(
    "We are always looking to improve the accessibility of this service. If you find any "
    "problems not listed on this page or think we are not meeting accessibility "
    "requirements, contact the Board secretariat. Say which page, what you were trying to "
    "do and what happened; a screenshot helps."
)

st.header("Enforcement procedure")
st.markdown(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
    "Regulations 2018 (the 'accessibility regulations'). If you are not happy with how we "
    "respond to your complaint, contact the "
    "[Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)."
)

st.header("Technical information about this service's accessibility")
st.markdown(
    "The Board is committed to making the tracker accessible, in accordance with the "
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
    "Regulations 2018."
)
st.subheader("Compliance status")
st.markdown(
    "This service is partially compliant with the "
    "[Web Content Accessibility Guidelines version 2.2](https://www.w3.org/TR/WCAG22/) AA "
    "standard, due to the non-compliances listed below."
)

st.header("Non-accessible content")
st.markdown("The content listed below is non-accessible for the following reasons.")
st.subheader("Non-compliance with the accessibility regulations")
st.markdown(
    "- A signed-in session ends after 30 minutes without use, and the page gives no "
    "warning before it does, nor a way to extend it. Someone who needs longer to fill in "
    "a form loses what they had not yet committed. This fails WCAG 2.2 success criterion "
    "2.2.1 (Timing adjustable). The limit protects OFFICIAL information; we plan to warn "
    "before the session ends and let you extend it.\n"
    "- On the Upload page, the button that opens the file dialog responds to Space but "
    "not to Enter, and in tables the Tab key stops several times before leaving the "
    "table. Both belong to Streamlit's own widgets; everything still works from the "
    "keyboard.\n"
    "- The file upload area is marked up by Streamlit as a presentation element that can "
    "take focus, which some screen readers announce inconsistently (axe rule "
    "'presentation-role-conflict', a minor issue). Its upload button works with the "
    "keyboard. The widget belongs to Streamlit, the framework the tracker is built "
    "on, and cannot be changed from the tracker; we will take Streamlit's fix when it "
    "comes.\n"
    "- Tables are drawn on a canvas by Streamlit's data grid, which gives screen readers "
    "a hidden grid to read. Automated checks cannot look inside the canvas, and we have "
    "not yet confirmed with screen reader users that every table reads well "
    "(1.3.1 Info and relationships may not be met). Every chart's numbers are also "
    "written as a sentence above it."
)
st.subheader("Content that is not within the scope of the accessibility regulations")
st.markdown(
    "The board pack PDF circulated before each meeting is made from the same data as the "
    "pages, which hold everything it says. We have not yet checked the PDF itself "
    "(tags, reading order); the board pack is also offered as a spreadsheet."
)

st.header("What we are doing to improve accessibility")
st.markdown(
    "Every change to the tracker runs browser tests that check every page with axe-core "
    "for serious and critical WCAG failures, drive the upload and the navigation with the "
    "keyboard alone, and open every page at 200% zoom. Next we will warn before a "
    "session ends, test with screen readers and their users, and check the board pack PDF."
)

st.header("Preparation of this accessibility statement")
st.markdown(
    "This statement was prepared on 29 November 2026. It was last reviewed on "
    "2 December 2026.\n\n"
    "This service was last tested on 29 November 2026 against the WCAG 2.2 AA standard. "
    "The test was carried out by the tracker's developers: every page in Chromium, with "
    "data loaded and after an upload, checked automatically with axe-core 4.12.1; the "
    "upload and the navigation driven by keyboard alone; every page at 200% zoom on a "
    "1280-pixel-wide window; chart colours measured for contrast (3:1 for chart marks, "
    "4.5:1 for text)."
)
