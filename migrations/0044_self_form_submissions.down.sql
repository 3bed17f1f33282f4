DROP TABLE self_form_submissions;
