DROP TABLE assessment_conference_attendees;
DROP TABLE assessment_conferences;
DROP TABLE assessment_sections;
