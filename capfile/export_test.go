package capfile

// WriteGenerated is writeGenerated for the package's external tests.
var WriteGenerated = writeGenerated
