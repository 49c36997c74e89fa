/* Mends to markup that Django's admin scripts build, out of reach of any template, and that
   WCAG 2 (axe-core's checks in tests/browser) refuses. Loaded by templates/admin/base_site.html.
   - filter_horizontal's search icons (SelectFilter2.js) put an aria-label on a plain span, where
     ARIA allows none: they become images (role="img"), so the label of the filter box still
     reads their text.
   - select2's boxes (autocomplete fields, autocomplete.js) are named only by the choice they
     show, so not at all while empty, and the parts inside them (the choice, a search box) not at
     all: each is tied to its field's label as well; an open box names its list the way ARIA 1.2
     asks (aria-controls).
   These widgets build themselves after the page is parsed (on load, on jQuery's ready, when an
   inline row is added or a box opens), so each is mended as it appears. */
'use strict';
{
    // The box (a combobox), the choice it shows (a read-only textbox) and the search box of a
    // multiple choice.
    const NAMELESS = '.select2-selection, .select2-selection__rendered, .select2-search__field';

    // The id of the label of a form field, given one if it has none.
    function labelIdOf(fieldId) {
        const label = fieldId && document.querySelector(`label[for="${CSS.escape(fieldId)}"]`);
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = `${fieldId}-label`;
        }
        return label.id;
    }

    function alsoLabelledBy(element, labelId) {
        const ids = (element.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
        if (!ids.includes(labelId)) {
            element.setAttribute('aria-labelledby', [labelId, ...ids].join(' '));
        }
    }

    function mend() {
        for (const icon of document.querySelectorAll('.search-label-icon[aria-label]:not([role])')) {
            icon.setAttribute('role', 'img');
        }
        for (const select of document.querySelectorAll('select.select2-hidden-accessible')) {
            const container = select.nextElementSibling;
            const labelId = labelIdOf(select.id);
            if (!labelId || !container || !container.classList.contains('select2-container')) {
                continue;
            }
            for (const box of container.querySelectorAll(NAMELESS)) {
                alsoLabelledBy(box, labelId);
            }
        }
        // An open box names its list with aria-owns (ARIA 1.0); ARIA 1.2 asks a combobox for
        // aria-controls, and select2 drops aria-owns as the box closes.
        for (const box of document.querySelectorAll('.select2-selection[role=combobox]')) {
            if (box.hasAttribute('aria-owns')) {
                box.setAttribute('aria-controls', box.getAttribute('aria-owns'));
            } else {
                box.removeAttribute('aria-controls');
            }
        }
        // The search box of an open single choice, in a dropdown at the end of the page, names
        // the list it controls: select2-<the field's id>-results.
        for (const search of document.querySelectorAll('.select2-dropdown .select2-search__field[aria-controls]')) {
            const fieldId = search.getAttribute('aria-controls').replace(/^select2-(.*)-results$/, '$1');
            const labelId = labelIdOf(fieldId);
            if (labelId) {
                alsoLabelledBy(search, labelId);
            }
        }
    }

    mend();
    // Attributes are all this changes, and only added or removed elements are watched: no loop.
    new MutationObserver(mend).observe(document.documentElement, {childList: true, subtree: true});
}
