<?xml version="1.0" encoding="UTF-8"?>
<!-- Document metadata from the teiHeader and text: chapter title, author, edition statement. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <!-- The heading that titles a chapter: the first head of its body, if any. -->
  <xsl:function name="f:title-head" as="element(tei:head)?">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="(root($tei)//tei:text/tei:body//tei:head)[1]"/>
  </xsl:function>

  <!-- The title of a chapter: its first heading, else the main title of its header, else "Untitled". -->
  <xsl:function name="f:chapter-title" as="xs:string">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="head" select="f:title-head($tei)"/>
    <xsl:variable name="titles" select="root($tei)//tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:sequence select="if ($head) then f:plain-text($head, 'corrected')
                          else (($titles[@type = 'main'], $titles)[1] ! normalize-space(.), 'Untitled')[1]"/>
  </xsl:function>

  <!-- The author of the source: titleStmt/author, else the source description's author. -->
  <xsl:function name="f:doc-author" as="xs:string">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="h" select="root($tei)//tei:teiHeader/tei:fileDesc"/>
    <xsl:sequence select="(($h/tei:titleStmt/tei:author, $h/tei:sourceDesc//tei:author)[1] ! normalize-space(.), '')[1]"/>
  </xsl:function>

</xsl:stylesheet>
