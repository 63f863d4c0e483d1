"""The labels of the paper forms (ISP Appendix B), as printed on them."""

CONDITIONS = [
    "The following information has been supplied in accordance with Haringey's Crime and "
    "Disorder Information Sharing Protocol.",
    "The following provisions MUST be applied in accordance to the Protocol above:",
    "must only be used for the purpose stated in the original request for information.",
    "via the designated liaison officer.",
    "These forms MUST be stored in a lockable container when not in use, and a clear desk "
    "policy implemented.",
    "access restricted only to persons with a genuine 'need to know' the information.",
    "Once this information is no longer required, it MUST be returned to the Designated "
    "Liaison Officer (DLO) for destruction.",
]

PART_A = [
    "Crime and Disorder Information Sharing Protocol Request/Disclosure Form",
    "PART A – INFORMATION REQUESTED - (to be completed by requesting officer)",
    "Information requested by:",
    "Name:",
    "Position:",
    "Organisation/Department:",
    "Address:",
    "Contact phone number:",
    "Email address:",
    "Information requested:",
    "Describe the information required and the circumstance that have led to this request "
    "being made, including any names, addresses and dates of birth and state whether they "
    "are a victim, informant, witness suspect or convicted offender.",
    "DOB(ddmmyyyy):",
    "Date information is required by (ddmmyyyy):",
    "If urgent, please state reason:",
    "If a VIW or CO¹, has consent been obtained and included at Part B of this form?",
    "If not a VIW or CO, or no consent has been obtained, is it in the public interest to "
    "disclose?",
    "Please state reason for public interest:",
    "Under which piece of legislation: (please tick)",
    "Crime and Disorder Act",
    "Housing Act",
    "Homelessness Act",
    "Anti-social Behaviour",
    "Policing Act",
    "Other (please state)",
    "¹ Victim, Informant, Witness or Convicted Offender",
    "Signature of requesting officer:",
    "Date:",
]

PART_B = [
    "PART B - INFORMATION DISCLOSED – (for disclosing officer)",
    "Date request received:",
    "Disclosure Agreed:",
    "Reason for declining request (if applicable):",
    "Information attached to this form",
    "Information disclosed (Continue on a separate sheet if necessary, and remember to "
    "attach any additional sheets to this form)",
    "Information disclosed by:",
    "Name:",
    "Position:",
    "Organisation:",
    "Department:",
    "Address:",
    "Contact phone number:",
    "Email address:",
    "Information disclosed to:",
    "Organisation/Department:",
    "Delivery method (please mark as appropriate):",
    "Post ☐",
    "Email ☐",
    "Fax ☐",
    "Other ☐",
    "Signature of disclosing officer:",
    "Date supplied:",
]

CONSENT = [
    "Crime and Disorder Information Sharing Protocol- Consent Form",
    "Requesting Officer's Ref:",
    "Disclosing Officer's Ref:",
    "Please provide the relevant information below:",
    "Is this information about you?",
    "If 'No', who is the information about?",
    "Name:",
    "Address:",
    "DOB (ddmmyyyy)",
    "Are you are acting as: Parent/Guardian/Carer Other (please describe)",
    "Have the reasons for requesting consent been explained to you?",
    "I give:",
    "consent to disclose to:",
    "Information to which this consent applies:",
    "Personal information and any relevant information, for the purposes of:",
    "Your Name:",
    "DOB (ddmmyyyy):",
    "Signature:",
    "Date (ddmmyyyy):",
    "Witnessed by requesting officer:",
    "Date (ddmmyyy):",
]
