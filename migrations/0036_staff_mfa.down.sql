DROP TABLE IF EXISTS saml_assertions;
