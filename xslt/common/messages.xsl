<?xml version="1.0" encoding="UTF-8"?>
<!-- Warnings for the caller: one xsl:message per problem, tab-separated, with the source file and line that
     editio's Python side wrote onto every element (e:file on each document's root, e:line on every element). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:source"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  exclude-result-prefixes="#all">

  <!-- The source file of a node: the nearest e:file above it. -->
  <xsl:function name="f:source-file" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string(($node/ancestor-or-self::*[@e:file])[last()]/@e:file)"/>
  </xsl:function>

  <!-- The source line of a node: its own e:line or that of the nearest element above it. -->
  <xsl:function name="f:source-line" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="string(($node/ancestor-or-self::*[@e:line])[last()]/@e:line)"/>
  </xsl:function>

  <!-- Report a warning about $node: "editio-warning TAB rule TAB file TAB line TAB message". -->
  <xsl:template name="t:warn">
    <xsl:param name="node" as="node()" required="yes"/>
    <xsl:param name="rule" as="xs:string" required="yes"/>
    <xsl:param name="message" as="xs:string" required="yes"/>
    <xsl:message select="string-join(('editio-warning', $rule, f:source-file($node), f:source-line($node),
                                      replace($message, '[&#9;&#10;&#13;]', ' ')), '&#9;')"/>
  </xsl:template>

</xsl:stylesheet>
