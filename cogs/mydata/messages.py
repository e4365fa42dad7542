"""Words of the data-rights commands."""

MESSAGES = {
    "mydata.exported": "Here is everything Guildhall stores about you ({tables} kinds of"
    " records). The format is described in the README under “Your data”.",
    "mydata.export_sent": "I'm sending you everything Guildhall stores about you as a JSON"
    " file, by direct message.",
    "mydata.confirm_title": "Delete your data?",
    "mydata.confirm": "This erases your name, your linked accounts, your settings and the"
    " text you wrote, and cannot be undone. Your points, votes and check-ins stay in the"
    " community's totals under the name “deleted member”.\nPress **Delete my data**, or"
    " type `/mydata delete yes`.",
    "mydata.confirm_button": "Delete my data",
    "mydata.keep_button": "Keep it",
    "mydata.kept": "Nothing was deleted.",
    "mydata.deleted": "Your data was deleted. If you use Guildhall again, you start as a new"
    " member.",
    "mydata.member_deleted": "Erased {who}'s personal data; they now show as “deleted member”.",
}
