/*
 * The survey form (ui-survey-public.c) works without this script: every
 * question is shown, a conditional one with a note saying when to answer
 * it, and the server drops answers to questions that do not apply.  With
 * it, a conditional question stays hidden until the answer it depends on
 * is given.  Nothing here is sent anywhere.
 */
(function () {
	"use strict";
	var form = document.querySelector("form.survey");
	if (!form)
		return;
	var conds = form.querySelectorAll(".question[data-show-if]");
	if (conds.length === 0)
		return;

	function chosen(code) {
		var out = [];
		var inputs = form.querySelectorAll("input");
		for (var i = 0; i < inputs.length; i++)
			if (inputs[i].name === "q." + code && inputs[i].checked)
				out.push(inputs[i].value);
		return out;
	}

	function update() {
		/* In document order: a question's condition is an earlier
		 * question, whose own visibility is settled by then. */
		for (var i = 0; i < conds.length; i++) {
			var q = conds[i];
			var code = q.getAttribute("data-show-if");
			var any = (q.getAttribute("data-show-any") || "").split(" ");
			var parent = document.getElementById("qq-" + code);
			var show = !(parent && parent.hidden);
			if (show) {
				var got = chosen(code);
				show = false;
				for (var k = 0; k < got.length; k++)
					if (any.indexOf(got[k]) >= 0)
						show = true;
			}
			q.hidden = !show;
		}
	}

	form.addEventListener("change", update);
	update();
})();
