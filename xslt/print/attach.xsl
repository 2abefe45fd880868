<?xml version="1.0" encoding="UTF-8"?>
<!-- The TEI files attached to the PDF/A-3 as its source (associated files), byte for byte: Typst reads
     each file itself (@path, under the compile root editio sets), so its text never passes through XSLT. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="e:file" mode="m:attach">
    <!-- Two files of the same name (from different folders) get their position as a prefix. -->
    <xsl:variable name="name" select="if (preceding-sibling::e:file[@name = current()/@name]) then @n || '-' || @name else string(@name)"/>
    <xsl:value-of select="'#pdf.attach(' || f:typst-string($name) || ', read(' || f:typst-string(@path) || ', encoding: none), '
        || 'relationship: &quot;source&quot;, mime-type: &quot;application/tei+xml&quot;, '
        || 'description: ' || f:typst-string('TEI source: ' || $name) || ')&#10;'"/>
  </xsl:template>
</xsl:stylesheet>
