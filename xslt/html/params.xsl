<?xml version="1.0" encoding="UTF-8"?>
<!-- Parameters of the web edition: every xsl:param of xslt/html/, typed and documented. Python (editio.html) sets them. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  exclude-result-prefixes="#all">

  <!-- The edition's register (tei/register.xml, with listPerson, listPlace, listOrg, listEvent), parsed by
       editio's safe loader. Mentions are looked up in it for links, types and popovers. Empty: mentions
       become plain text marked as unresolved. -->
  <xsl:param name="register" as="document-node()?" select="()"/>

  <!-- The site context, built by editio.html.SiteContext: <site title subtitle base-url licence licence-url
       language reading date pdf> with <editor>s, <chapter stem title page>s in reading order and <download>s. -->
  <xsl:param name="context" as="document-node()?" select="()"/>

  <!-- The popover of every register entry (<pops> with one <span class="pop" id="pop-ID"> per entry), made once per
       register by the template t:popover-digest (namesdates.xsl); chapter pages copy the ones they need. Empty:
       each chapter page makes its own. -->
  <xsl:param name="popovers" as="document-node()?" select="()"/>

  <!-- The file name of the page being made (e.g. "secret-history-59.html"); used for navigation and citations. -->
  <xsl:param name="page" as="xs:string" select="'index.html'"/>

  <!-- The source file's stem (name without .xml), recorded in chapter extracts. -->
  <xsl:param name="stem" as="xs:string" select="''"/>

  <!-- Pages that another part of editio supplies (e.g. "guidelines.html"), as a space-separated list; the
       navigation links to them. -->
  <xsl:param name="extra-pages" as="xs:string" select="'guidelines.html'"/>

  <!-- Whether a chapter's extract carries a copy of the chapter's teiHeader (the edition pages use the first
       chapter's only). editio.html leaves it out of the others; an extract made to be kept has it. -->
  <xsl:param name="extract-header" as="xs:boolean" select="true()"/>

  <!-- Whether a chapter's extract carries a copy of each note (the notes page uses them when the edition has at
       most $notes-in-full notes). editio.html leaves them out of a larger edition; an extract made to be kept
       has them. -->
  <xsl:param name="extract-note-copies" as="xs:boolean" select="true()"/>

  <!-- Characters of context on each side of a mention in the register's backlinks and the timeline. -->
  <xsl:param name="snippet-width" as="xs:integer" select="40"/>

  <!-- Up to this many notes, the notes page shows every note in full; a larger edition gets an index of the
       notes' beginnings (each linked to the note in its chapter), so the page stays a usable size. -->
  <xsl:param name="notes-in-full" as="xs:integer" select="300"/>

</xsl:stylesheet>
