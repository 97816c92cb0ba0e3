// Runs first in <body>: tells GOV.UK Frontend's CSS and JS that scripts are available.
document.body.className += " js-enabled govuk-frontend-supported";
